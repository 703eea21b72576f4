import { describe, expect, it } from 'vitest';
import { availability } from '../../src/schedule/availability.js';
import { defaultSettings } from '../../src/schedule/default-settings.js';
import type { ScheduleSettings, AvailabilityState } from '../../src/schedule/schedule-types.js';
import { everyDay, range, settingsOf } from './support/schedules.js';

/** Asserts the availability at each ISO instant. */
function expectStates(settings: ScheduleSettings, expected: [string, AvailabilityState][]): void {
  const actual = expected.map(([iso]) => [iso, availability(settings, new Date(iso))]);
  expect(actual).toEqual(expected);
}

/** The instants (every minute of a UTC window) at which a schedule is open. */
function openMinutes(settings: ScheduleSettings, fromIso: string, toIso: string): number {
  let count = 0;
  for (let time = Date.parse(fromIso); time < Date.parse(toIso); time += 60_000) {
    if (availability(settings, new Date(time)) === 'open') count++;
  }
  return count;
}

describe('availability', () => {
  it('R21: open inside a range [from, to), away outside (Asia/Seoul, +09:00)', () => {
    const settings = settingsOf('Asia/Seoul', { mon: [range('09:00', '12:00'), range('13:00', '18:00')] });
    expectStates(settings, [
      ['2026-03-01T23:59:59.999Z', 'away'], // Mon 08:59:59.999
      ['2026-03-02T00:00:00.000Z', 'open'], // Mon 09:00
      ['2026-03-02T02:59:59.999Z', 'open'],
      ['2026-03-02T03:00:00.000Z', 'away'], // 12:00, the end is excluded
      ['2026-03-02T04:00:00.000Z', 'open'], // 13:00
      ['2026-03-02T09:00:00.000Z', 'away'], // 18:00
      ['2026-03-03T00:00:00.000Z', 'away'], // Tue 09:00: a closed day
    ]);
  });

  it('R21: the weekday is the local one (Asia/Kathmandu, +05:45)', () => {
    const settings = settingsOf('Asia/Kathmandu', { mon: [range('09:00', '18:00')] });
    expectStates(settings, [
      ['2026-03-02T03:14:59.999Z', 'away'],
      ['2026-03-02T03:15:00.000Z', 'open'], // Mon 09:00 +05:45
      ['2026-03-02T12:14:59.999Z', 'open'],
      ['2026-03-02T12:15:00.000Z', 'away'],
      ['2026-03-01T18:15:00.000Z', 'away'], // Mon 00:00 local, Sunday in UTC
    ]);
  });

  it('R21: a holiday wins over the week, for whole local days', () => {
    const settings = settingsOf('Asia/Seoul', everyDay(range('00:00', '24:00')), [['2026-12-24', '2026-12-25']]);
    expectStates(settings, [
      ['2026-12-23T14:59:59.999Z', 'open'], // Dec 23 23:59:59.999 KST
      ['2026-12-23T15:00:00.000Z', 'holiday'], // Dec 24 00:00 KST
      ['2026-12-25T14:59:59.999Z', 'holiday'], // Dec 25, the end is inclusive
      ['2026-12-25T15:00:00.000Z', 'open'], // Dec 26 00:00 KST
    ]);
  });

  it('R18: ranges touching midnight and 24:00', () => {
    const settings = settingsOf('UTC', { mon: [range('22:00', '24:00')], tue: [range('00:00', '02:00')] });
    expectStates(settings, [
      ['2026-03-02T21:59:59.999Z', 'away'],
      ['2026-03-02T22:00:00.000Z', 'open'],
      ['2026-03-02T23:59:59.999Z', 'open'],
      ['2026-03-03T00:00:00.000Z', 'open'],
      ['2026-03-03T01:59:59.999Z', 'open'],
      ['2026-03-03T02:00:00.000Z', 'away'],
    ]);
  });

  describe('R18: wall-clock semantics across daylight-saving changes', () => {
    it('R18: America/New_York spring forward (2026-03-08 02:00 EST → 03:00 EDT): the gap is never open', () => {
      expectStates(settingsOf('America/New_York', { sun: [range('01:00', '02:30')] }), [
        ['2026-03-08T05:59:59.999Z', 'away'], // 00:59:59.999 EST
        ['2026-03-08T06:00:00.000Z', 'open'], // 01:00 EST
        ['2026-03-08T06:59:59.999Z', 'open'], // 01:59:59.999 EST
        ['2026-03-08T07:00:00.000Z', 'away'], // 03:00 EDT: 02:00–02:30 does not exist today
      ]);
      const inGap = settingsOf('America/New_York', { sun: [range('02:00', '02:30')] });
      expect(openMinutes(inGap, '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z')).toBe(0);
      expectStates(inGap, [['2026-03-15T06:00:00.000Z', 'open']]); // next Sunday 02:00 EDT exists
      expectStates(settingsOf('America/New_York', { sun: [range('02:30', '04:00')] }), [
        ['2026-03-08T06:59:59.999Z', 'away'], // 01:59:59.999 EST
        ['2026-03-08T07:00:00.000Z', 'open'], // 03:00 EDT
        ['2026-03-08T07:59:59.999Z', 'open'],
        ['2026-03-08T08:00:00.000Z', 'away'], // 04:00 EDT
      ]);
    });

    it('R18: America/New_York fall back (2026-11-01 02:00 EDT → 01:00 EST): the repeated hour counts twice', () => {
      expectStates(settingsOf('America/New_York', { sun: [range('01:30', '02:00')] }), [
        ['2026-11-01T05:29:59.999Z', 'away'], // 01:29:59.999 EDT
        ['2026-11-01T05:30:00.000Z', 'open'], // 01:30 EDT
        ['2026-11-01T05:59:59.999Z', 'open'],
        ['2026-11-01T06:00:00.000Z', 'away'], // 01:00 EST
        ['2026-11-01T06:30:00.000Z', 'open'], // 01:30 EST
        ['2026-11-01T07:00:00.000Z', 'away'], // 02:00 EST
      ]);
      const repeated = settingsOf('America/New_York', { sun: [range('01:00', '02:00')] });
      expect(openMinutes(repeated, '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')).toBe(120);
    });

    it('R18: Europe/London: a range inside the spring gap is skipped; the autumn hour is open twice', () => {
      const settings = settingsOf('Europe/London', { sun: [range('01:00', '02:00')] });
      expect(openMinutes(settings, '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z')).toBe(0);
      expect(openMinutes(settings, '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z')).toBe(120);
      expectStates(settings, [
        ['2026-10-24T23:59:59.999Z', 'away'], // 00:59:59.999 BST
        ['2026-10-25T00:00:00.000Z', 'open'], // 01:00 BST
        ['2026-10-25T01:00:00.000Z', 'open'], // 01:00 GMT
        ['2026-10-25T02:00:00.000Z', 'away'], // 02:00 GMT
      ]);
    });

    it('R18: Australia/Lord_Howe half-hour changes', () => {
      // 2026-04-05 02:00 (+11:00) → 01:30 (+10:30) at 2026-04-04T15:00Z.
      expectStates(settingsOf('Australia/Lord_Howe', { sun: [range('01:00', '01:45')] }), [
        ['2026-04-04T13:59:59.999Z', 'away'],
        ['2026-04-04T14:00:00.000Z', 'open'], // 01:00 +11
        ['2026-04-04T14:45:00.000Z', 'away'], // 01:45 +11
        ['2026-04-04T15:00:00.000Z', 'open'], // 01:30 +10:30
        ['2026-04-04T15:15:00.000Z', 'away'], // 01:45 +10:30
      ]);
      // 2026-10-04 02:00 (+10:30) → 02:30 (+11:00) at 2026-10-03T15:30Z.
      expectStates(settingsOf('Australia/Lord_Howe', { sun: [range('02:00', '03:00')] }), [
        ['2026-10-03T15:29:59.999Z', 'away'], // 01:59:59.999 +10:30
        ['2026-10-03T15:30:00.000Z', 'open'], // 02:30 +11
        ['2026-10-03T15:59:59.999Z', 'open'],
        ['2026-10-03T16:00:00.000Z', 'away'], // 03:00 +11
      ]);
    });

    it('R18: Pacific/Chatham (+12:45 / +13:45, changes at 02:45 and 03:45)', () => {
      // 2026-09-27 02:45 (+12:45) → 03:45 (+13:45) at 2026-09-26T14:00Z.
      expectStates(settingsOf('Pacific/Chatham', { sun: [range('02:00', '03:00')] }), [
        ['2026-09-26T13:14:59.999Z', 'away'],
        ['2026-09-26T13:15:00.000Z', 'open'], // 02:00 +12:45
        ['2026-09-26T13:59:59.999Z', 'open'], // 02:44:59.999
        ['2026-09-26T14:00:00.000Z', 'away'], // 03:45 +13:45
      ]);
      // 2026-04-05 03:45 (+13:45) → 02:45 (+12:45) at 2026-04-04T14:00Z.
      expectStates(settingsOf('Pacific/Chatham', { sun: [range('03:00', '04:00')] }), [
        ['2026-04-04T13:14:59.999Z', 'away'],
        ['2026-04-04T13:15:00.000Z', 'open'], // 03:00 +13:45
        ['2026-04-04T14:00:00.000Z', 'away'], // 02:45 +12:45
        ['2026-04-04T14:15:00.000Z', 'open'], // 03:00 +12:45
        ['2026-04-04T15:15:00.000Z', 'away'], // 04:00 +12:45
      ]);
    });

    it('R20: a holiday spans its whole local days across a daylight-saving change', () => {
      // 2026-03-07..08 in New York: 00:00 EST to 00:00 EDT, 47 hours.
      const spring = settingsOf('America/New_York', everyDay(range('00:00', '24:00')), [['2026-03-07', '2026-03-08']]);
      expectStates(spring, [
        ['2026-03-07T04:59:59.999Z', 'open'],
        ['2026-03-07T05:00:00.000Z', 'holiday'],
        ['2026-03-09T03:59:59.999Z', 'holiday'],
        ['2026-03-09T04:00:00.000Z', 'open'],
      ]);
      // 2026-10-31..11-01: 00:00 EDT to 00:00 EST, 49 hours.
      const autumn = settingsOf('America/New_York', everyDay(range('00:00', '24:00')), [['2026-10-31', '2026-11-01']]);
      expectStates(autumn, [
        ['2026-10-31T03:59:59.999Z', 'open'],
        ['2026-10-31T04:00:00.000Z', 'holiday'],
        ['2026-11-02T04:59:59.999Z', 'holiday'],
        ['2026-11-02T05:00:00.000Z', 'open'],
      ]);
    });

    it('R20: America/Santiago, where midnight itself is skipped or repeated', () => {
      // 2026-09-06 00:00 (-04) → 01:00 (-03) at 04:00Z: the holiday begins at the gap.
      const spring = settingsOf('America/Santiago', everyDay(range('00:00', '24:00')), [['2026-09-06', '2026-09-06']]);
      expectStates(spring, [
        ['2026-09-06T03:59:59.999Z', 'open'], // Sat 23:59:59.999 -04
        ['2026-09-06T04:00:00.000Z', 'holiday'], // Sun 01:00 -03
      ]);
      // 2026-04-05 00:00 (-03) → Sat 23:00 (-04) at 03:00Z: Saturday lasts 25 hours.
      const autumn = settingsOf('America/Santiago', everyDay(range('00:00', '24:00')), [['2026-04-04', '2026-04-04']]);
      expectStates(autumn, [
        ['2026-04-04T02:59:59.999Z', 'open'], // Fri 23:59:59.999 -03
        ['2026-04-04T03:00:00.000Z', 'holiday'], // Sat 00:00 -03
        ['2026-04-05T03:00:00.000Z', 'holiday'], // Sat 23:00 -04, again
        ['2026-04-05T03:59:59.999Z', 'holiday'],
        ['2026-04-05T04:00:00.000Z', 'open'], // Sun 00:00 -04
      ]);
    });
  });

  it('R21: accepts Dates from another realm and TZDate', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Date("2026-03-02T10:00:00Z")') as Date;
    const { TZDate } = await import('@date-fns/tz');
    const settings = defaultSettings('UTC');
    expect(availability(settings, foreign)).toBe('open');
    expect(availability(settings, new TZDate('2026-03-02T10:00:00Z', 'Asia/Seoul'))).toBe('open');
  });

  it('R21: refuses an invalid Date and settings that never passed validation', () => {
    const settings = defaultSettings('UTC');
    expect(() => availability(settings, new Date('nope'))).toThrow(RangeError);
    expect(() => availability(settings, '2026-03-02' as unknown as Date)).toThrow(RangeError);
    expect(() => availability(defaultSettings('Mars/Base'), new Date())).toThrow("unknown time zone 'Mars/Base'");
    expect(() => availability(settingsOf('UTC', { mon: [range('18:00', '09:00')] }), new Date())).toThrow(RangeError);
    expect(() => availability(settingsOf('UTC', {}, [['2026-02-30', '2026-03-01']]), new Date())).toThrow(RangeError);
  });

  it('R21: a new settings object (or a day list changed in place) is seen at once', () => {
    const settings = settingsOf('UTC', { mon: [range('09:00', '18:00')] });
    const monday = new Date('2026-03-02T20:00:00Z');
    expect(availability(settings, monday)).toBe('away');
    expect(availability({ ...settings, weeklyHours: { ...settings.weeklyHours, mon: [range('09:00', '24:00')] } }, monday)).toBe('open');
    settings.weeklyHours.mon.push(range('19:00', '21:00'));
    expect(availability(settings, monday)).toBe('open');
    settings.holidays.push({ id: 'x', start: '2026-03-02', end: '2026-03-02' });
    expect(availability(settings, monday)).toBe('holiday');
  });
});

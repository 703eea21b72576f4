import { describe, expect, it } from 'vitest';
import { availability } from '../../src/schedule/availability.js';
import { defaultSettings } from '../../src/schedule/default-settings.js';
import { nextChange } from '../../src/schedule/next-change.js';
import type { ScheduleSettings, AvailabilityState } from '../../src/schedule/schedule-types.js';
import { everyDay, range, settingsOf } from './support/schedules.js';

/** The chain of changes from an instant: `[isoInstant, state]` for each of the next `count`. */
function changesFrom(settings: ScheduleSettings, fromIso: string, count: number): [string, AvailabilityState][] {
  const out: [string, AvailabilityState][] = [];
  let at = new Date(fromIso);
  for (let index = 0; index < count; index++) {
    const change = nextChange(settings, at);
    if (change === null) break;
    out.push([change.at.toISOString(), change.state]);
    at = change.at;
  }
  return out;
}

describe('nextChange', () => {
  it('R21: the next range boundary, with the new state (Asia/Seoul)', () => {
    const settings = settingsOf('Asia/Seoul', { mon: [range('09:00', '12:00'), range('13:00', '18:00')] });
    expect(changesFrom(settings, '2026-03-01T12:00:00Z', 5)).toEqual([
      ['2026-03-02T00:00:00.000Z', 'open'],
      ['2026-03-02T03:00:00.000Z', 'away'],
      ['2026-03-02T04:00:00.000Z', 'open'],
      ['2026-03-02T09:00:00.000Z', 'away'],
      ['2026-03-09T00:00:00.000Z', 'open'], // a week later
    ]);
  });

  it('R21: strictly after `at`, exact to the millisecond', () => {
    const settings = defaultSettings('UTC');
    expect(nextChange(settings, new Date('2026-03-02T09:00:00.000Z'))).toEqual({
      at: new Date('2026-03-02T18:00:00.000Z'),
      state: 'away',
    });
    expect(nextChange(settings, new Date('2026-03-02T08:59:59.999Z'))).toEqual({
      at: new Date('2026-03-02T09:00:00.000Z'),
      state: 'open',
    });
    expect(nextChange(settings, new Date('2026-03-02T08:59:59.999Z'))?.at.getTime()).toBe(Date.UTC(2026, 2, 2, 9));
  });

  it('R21: Asia/Kathmandu (+05:45)', () => {
    expect(changesFrom(defaultSettings('Asia/Kathmandu'), '2026-03-02T00:00:00Z', 2)).toEqual([
      ['2026-03-02T03:15:00.000Z', 'open'],
      ['2026-03-02T12:15:00.000Z', 'away'],
    ]);
  });

  it('R18: touching ranges across midnight are one stretch: no change at 24:00', () => {
    const settings = settingsOf('UTC', { mon: [range('22:00', '24:00')], tue: [range('00:00', '02:00')] });
    expect(changesFrom(settings, '2026-03-02T12:00:00Z', 3)).toEqual([
      ['2026-03-02T22:00:00.000Z', 'open'],
      ['2026-03-03T02:00:00.000Z', 'away'],
      ['2026-03-09T22:00:00.000Z', 'open'],
    ]);
    // Sunday night into Monday morning wraps around the week.
    const wrapping = settingsOf('Asia/Seoul', { sun: [range('20:00', '24:00')], mon: [range('00:00', '03:00')] });
    expect(changesFrom(wrapping, '2026-03-01T00:00:00Z', 2)).toEqual([
      ['2026-03-01T11:00:00.000Z', 'open'], // Sun 20:00 KST
      ['2026-03-01T18:00:00.000Z', 'away'], // Mon 03:00 KST
    ]);
    // A range ending at 24:00 followed by a closed day ends at midnight.
    const toMidnight = settingsOf('UTC', { mon: [range('09:00', '24:00')] });
    expect(nextChange(toMidnight, new Date('2026-03-02T10:00:00Z'))).toEqual({
      at: new Date('2026-03-03T00:00:00Z'),
      state: 'away',
    });
  });

  it('R21: null when it never changes', () => {
    const closed = settingsOf('Asia/Seoul', {});
    expect(nextChange(closed, new Date('2026-03-02T00:00:00Z'))).toBeNull();
    const alwaysOpen = settingsOf('America/New_York', everyDay(range('00:00', '24:00')));
    expect(nextChange(alwaysOpen, new Date('2026-03-07T00:00:00Z'))).toBeNull(); // across the spring gap
    expect(nextChange(alwaysOpen, new Date('2026-10-31T00:00:00Z'))).toBeNull(); // across the repeated hour
    const pastHolidays = settingsOf('Asia/Seoul', {}, [['2026-01-01', '2026-01-02']]);
    expect(nextChange(pastHolidays, new Date('2026-03-02T00:00:00Z'))).toBeNull();
  });

  it('R21: null right after the last holiday of a constant week', () => {
    const settings = settingsOf('America/New_York', everyDay(range('00:00', '24:00')), [['2026-11-01', '2026-11-01']]);
    expect(changesFrom(settings, '2026-10-30T00:00:00Z', 3)).toEqual([
      ['2026-11-01T04:00:00.000Z', 'holiday'],
      ['2026-11-02T05:00:00.000Z', 'open'],
    ]);
  });

  it('R21: a closed week with a holiday far ahead finds it, without walking there', () => {
    const settings = settingsOf('Europe/London', {}, [['2031-06-01', '2031-06-03']]);
    const started = performance.now();
    expect(changesFrom(settings, '2026-03-02T00:00:00Z', 3)).toEqual([
      ['2031-05-31T23:00:00.000Z', 'holiday'], // 00:00 BST
      ['2031-06-03T23:00:00.000Z', 'away'],
    ]);
    const farAhead = settingsOf('UTC', everyDay(range('00:00', '24:00')), [['9999-12-30', '9999-12-31']]);
    expect(changesFrom(farAhead, '2026-03-02T00:00:00Z', 3)).toEqual([
      ['9999-12-30T00:00:00.000Z', 'holiday'],
      ['+010000-01-01T00:00:00.000Z', 'open'],
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('R21: a long holiday ends at the midnight after its last day; adjacent holidays are one stretch', () => {
    const settings = settingsOf('Asia/Seoul', everyDay(range('00:00', '24:00')), [
      ['2026-12-24', '2026-12-25'],
      ['2026-12-26', '2027-01-01'],
      ['2027-01-03', '2027-01-03'],
    ]);
    expect(changesFrom(settings, '2026-12-01T00:00:00Z', 5)).toEqual([
      ['2026-12-23T15:00:00.000Z', 'holiday'],
      ['2027-01-01T15:00:00.000Z', 'open'], // Jan 2
      ['2027-01-02T15:00:00.000Z', 'holiday'], // Jan 3
      ['2027-01-03T15:00:00.000Z', 'open'],
    ]);
  });

  describe('R18: across daylight-saving changes', () => {
    it('R18: America/New_York, spring forward Sunday 2026-03-08', () => {
      // A range ending inside the gap ends at the gap.
      expect(changesFrom(settingsOf('America/New_York', { sun: [range('01:00', '02:30')] }), '2026-03-07T12:00:00Z', 2)).toEqual([
        ['2026-03-08T06:00:00.000Z', 'open'], // 01:00 EST
        ['2026-03-08T07:00:00.000Z', 'away'], // 03:00 EDT
      ]);
      // A range starting inside the gap opens at the gap.
      expect(changesFrom(settingsOf('America/New_York', { sun: [range('02:30', '04:00')] }), '2026-03-07T12:00:00Z', 2)).toEqual([
        ['2026-03-08T07:00:00.000Z', 'open'],
        ['2026-03-08T08:00:00.000Z', 'away'], // 04:00 EDT
      ]);
      // A range wholly inside the gap is skipped that day.
      expect(changesFrom(settingsOf('America/New_York', { sun: [range('02:00', '02:30')] }), '2026-03-07T12:00:00Z', 2)).toEqual([
        ['2026-03-15T06:00:00.000Z', 'open'], // next Sunday 02:00 EDT
        ['2026-03-15T06:30:00.000Z', 'away'],
      ]);
      // The default week: Friday evening to Monday morning, 71 hours.
      expect(nextChange(defaultSettings('America/New_York'), new Date('2026-03-06T23:30:00Z'))).toEqual({
        at: new Date('2026-03-09T13:00:00Z'),
        state: 'open',
      });
    });

    it('R18: America/New_York, fall back Sunday 2026-11-01', () => {
      expect(changesFrom(settingsOf('America/New_York', { sun: [range('01:30', '02:00')] }), '2026-10-31T12:00:00Z', 4)).toEqual([
        ['2026-11-01T05:30:00.000Z', 'open'], // 01:30 EDT
        ['2026-11-01T06:00:00.000Z', 'away'], // 01:00 EST
        ['2026-11-01T06:30:00.000Z', 'open'], // 01:30 EST
        ['2026-11-01T07:00:00.000Z', 'away'], // 02:00 EST
      ]);
      // The repeated hour inside a range: one stretch of two hours.
      expect(changesFrom(settingsOf('America/New_York', { sun: [range('01:00', '02:00')] }), '2026-10-31T12:00:00Z', 2)).toEqual([
        ['2026-11-01T05:00:00.000Z', 'open'],
        ['2026-11-01T07:00:00.000Z', 'away'],
      ]);
      // A range ending inside the repeated hour reopens when the clock goes back.
      expect(changesFrom(settingsOf('America/New_York', { sun: [range('00:00', '01:30')] }), '2026-10-31T12:00:00Z', 4)).toEqual([
        ['2026-11-01T04:00:00.000Z', 'open'], // 00:00 EDT
        ['2026-11-01T05:30:00.000Z', 'away'], // 01:30 EDT
        ['2026-11-01T06:00:00.000Z', 'open'], // 01:00 EST
        ['2026-11-01T06:30:00.000Z', 'away'], // 01:30 EST
      ]);
    });

    it('R18: Europe/London', () => {
      expect(changesFrom(settingsOf('Europe/London', { sun: [range('00:30', '01:30')] }), '2026-03-28T12:00:00Z', 2)).toEqual([
        ['2026-03-29T00:30:00.000Z', 'open'], // 00:30 GMT
        ['2026-03-29T01:00:00.000Z', 'away'], // 02:00 BST
      ]);
      expect(changesFrom(settingsOf('Europe/London', { sun: [range('01:00', '02:00')] }), '2026-10-24T12:00:00Z', 2)).toEqual([
        ['2026-10-25T00:00:00.000Z', 'open'], // 01:00 BST
        ['2026-10-25T02:00:00.000Z', 'away'], // 02:00 GMT
      ]);
    });

    it('R18: Australia/Lord_Howe, 30-minute changes', () => {
      expect(changesFrom(settingsOf('Australia/Lord_Howe', { sun: [range('01:00', '01:45')] }), '2026-04-04T12:00:00Z', 4)).toEqual([
        ['2026-04-04T14:00:00.000Z', 'open'], // 01:00 +11
        ['2026-04-04T14:45:00.000Z', 'away'], // 01:45 +11
        ['2026-04-04T15:00:00.000Z', 'open'], // 01:30 +10:30
        ['2026-04-04T15:15:00.000Z', 'away'], // 01:45 +10:30
      ]);
      expect(changesFrom(settingsOf('Australia/Lord_Howe', { sun: [range('02:00', '03:00')] }), '2026-10-03T12:00:00Z', 2)).toEqual([
        ['2026-10-03T15:30:00.000Z', 'open'], // 02:30 +11, at the gap
        ['2026-10-03T16:00:00.000Z', 'away'],
      ]);
    });

    it('R18: Pacific/Chatham', () => {
      expect(changesFrom(settingsOf('Pacific/Chatham', { sun: [range('02:00', '03:00')] }), '2026-09-26T00:00:00Z', 2)).toEqual([
        ['2026-09-26T13:15:00.000Z', 'open'], // 02:00 +12:45
        ['2026-09-26T14:00:00.000Z', 'away'], // 03:45 +13:45
      ]);
      expect(changesFrom(settingsOf('Pacific/Chatham', { sun: [range('03:00', '04:00')] }), '2026-04-04T00:00:00Z', 4)).toEqual([
        ['2026-04-04T13:15:00.000Z', 'open'], // 03:00 +13:45
        ['2026-04-04T14:00:00.000Z', 'away'], // 02:45 +12:45
        ['2026-04-04T14:15:00.000Z', 'open'], // 03:00 +12:45
        ['2026-04-04T15:15:00.000Z', 'away'], // 04:00 +12:45
      ]);
    });

    it('R20: holidays spanning a daylight-saving change', () => {
      const spring = settingsOf('America/New_York', everyDay(range('00:00', '24:00')), [['2026-03-07', '2026-03-08']]);
      expect(changesFrom(spring, '2026-03-01T00:00:00Z', 3)).toEqual([
        ['2026-03-07T05:00:00.000Z', 'holiday'], // 00:00 EST
        ['2026-03-09T04:00:00.000Z', 'open'], // 00:00 EDT, 47 hours later
      ]);
      const autumn = settingsOf('America/New_York', defaultSettings().weeklyHours, [['2026-10-31', '2026-11-01']]);
      expect(changesFrom(autumn, '2026-10-30T20:00:00Z', 4)).toEqual([
        ['2026-10-30T22:00:00.000Z', 'away'], // Fri 18:00 EDT
        ['2026-10-31T04:00:00.000Z', 'holiday'], // Sat 00:00 EDT
        ['2026-11-02T05:00:00.000Z', 'away'], // Mon 00:00 EST, 49 hours later
        ['2026-11-02T14:00:00.000Z', 'open'], // Mon 09:00 EST
      ]);
      const lordHowe = settingsOf('Australia/Lord_Howe', everyDay(range('00:00', '24:00')), [['2026-04-05', '2026-04-05']]);
      expect(changesFrom(lordHowe, '2026-04-04T00:00:00Z', 2)).toEqual([
        ['2026-04-04T13:00:00.000Z', 'holiday'], // 00:00 +11
        ['2026-04-05T13:30:00.000Z', 'open'], // 00:00 +10:30, 24.5 hours later
      ]);
      const chatham = settingsOf('Pacific/Chatham', everyDay(range('00:00', '24:00')), [['2026-09-27', '2026-09-27']]);
      expect(changesFrom(chatham, '2026-09-26T00:00:00Z', 2)).toEqual([
        ['2026-09-26T11:15:00.000Z', 'holiday'], // 00:00 +12:45
        ['2026-09-27T10:15:00.000Z', 'open'], // 00:00 +13:45, 23 hours later
      ]);
    });

    it('R20: America/Santiago, where midnight is skipped or repeated', () => {
      const spring = settingsOf('America/Santiago', everyDay(range('00:00', '24:00')), [['2026-09-06', '2026-09-06']]);
      expect(changesFrom(spring, '2026-09-05T12:00:00Z', 2)).toEqual([
        ['2026-09-06T04:00:00.000Z', 'holiday'], // the gap: Sat 24:00 -04 is Sun 01:00 -03
        ['2026-09-07T03:00:00.000Z', 'open'],
      ]);
      const autumn = settingsOf('America/Santiago', everyDay(range('00:00', '24:00')), [['2026-04-04', '2026-04-04']]);
      expect(changesFrom(autumn, '2026-04-03T12:00:00Z', 2)).toEqual([
        ['2026-04-04T03:00:00.000Z', 'holiday'],
        ['2026-04-05T04:00:00.000Z', 'open'], // Saturday lasted 25 hours
      ]);
      const lateSaturday = settingsOf('America/Santiago', { sat: [range('23:00', '24:00')] });
      expect(changesFrom(lateSaturday, '2026-04-04T12:00:00Z', 2)).toEqual([
        ['2026-04-05T02:00:00.000Z', 'open'], // 23:00 -03
        ['2026-04-05T04:00:00.000Z', 'away'], // 24:00 -04: the hour happened twice
      ]);
    });
  });

  it('R21: the answer agrees with availability on both sides of the change', () => {
    const settings = settingsOf('Pacific/Chatham', { sun: [range('03:00', '04:00')], mon: [range('00:00', '24:00')] }, [
      ['2026-04-06', '2026-04-06'],
    ]);
    let at = new Date('2026-04-03T00:00:00Z');
    for (let index = 0; index < 10; index++) {
      const change = nextChange(settings, at);
      if (change === null) break;
      expect(availability(settings, new Date(change.at.getTime() - 1))).toBe(availability(settings, at));
      expect(availability(settings, change.at)).toBe(change.state);
      expect(change.state).not.toBe(availability(settings, at));
      at = change.at;
    }
  });

  it('R21: refuses an invalid Date', () => {
    expect(() => nextChange(defaultSettings('UTC'), new Date(Number.NaN))).toThrow(RangeError);
  });
});

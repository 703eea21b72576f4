import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilDayNumber, formatCivilDate } from '../../src/schedule/civil-date.js';
import { civilDateSchema, findOverlappingHoliday, holidayInputSchema, localDate } from '../../src/schedule/holidays.js';
import { parseInput } from '../../src/validation/parse-input.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = parseInput(holidayInputSchema, input, '');
  if (result.isOk() || result.error.code !== 'validation') throw new Error('expected a validation error');
  return result.error.issues;
}

describe('holidayInputSchema', () => {
  it('R20: accepts inclusive whole days with an optional trimmed label', () => {
    expect(holidayInputSchema.parse({ start: '2026-12-24', end: '2026-12-26', label: '  Christmas ' })).toEqual({
      start: '2026-12-24',
      end: '2026-12-26',
      label: 'Christmas',
    });
    expect(holidayInputSchema.parse({ start: '2026-12-31', end: '2026-12-31' })).toEqual({
      start: '2026-12-31',
      end: '2026-12-31',
    });
  });

  it('R20: end before start is an issue on end', () => {
    expect(issuesOf({ start: '2026-12-26', end: '2026-12-24' })).toEqual([
      { path: 'end', message: "must be on or after start (2026-12-26), got '2026-12-24'" },
    ]);
  });

  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '26-01-05', '2026-01-05T00:00', ''])(
    'R20: refuses %j as a date',
    (text) => {
      expect(issuesOf({ start: text, end: '2026-12-31' })).toEqual([
        { path: 'start', message: `must be a real date YYYY-MM-DD, got '${text}'` },
      ]);
    },
  );

  it('R20: leap days are real dates', () => {
    expect(civilDateSchema.parse('2028-02-29')).toBe('2028-02-29');
    expect(civilDateSchema.safeParse('2100-02-29').success).toBe(false);
  });

  it('R20: a label is 1–50 characters, counted as graphemes, without control characters', () => {
    expect(issuesOf({ start: '2026-12-24', end: '2026-12-24', label: '   ' })).toEqual([
      { path: 'label', message: 'must not be empty' },
    ]);
    expect(issuesOf({ start: '2026-12-24', end: '2026-12-24', label: 'x'.repeat(51) })).toEqual([
      { path: 'label', message: 'at most 50 characters, got 51' },
    ]);
    expect(holidayInputSchema.parse({ start: '2026-12-24', end: '2026-12-24', label: '👍🏽'.repeat(50) }).label).toBe(
      '👍🏽'.repeat(50),
    );
    expect(issuesOf({ start: '2026-12-24', end: '2026-12-24', label: 'a\u0007b' })[0]?.path).toBe('label');
  });

  it('R20 R27: unknown fields and wrong types are refused', () => {
    expect(issuesOf({ start: '2026-12-24', end: '2026-12-24', id: 'h1' })).toEqual([
      { path: '', message: 'unknown field(s): id' },
    ]);
    expect(issuesOf({ start: 20261224, end: '2026-12-24' })).toEqual([
      { path: 'start', message: 'must be a date YYYY-MM-DD, got number' },
    ]);
    expect(issuesOf({ end: '2026-12-24' })).toEqual([{ path: 'start', message: 'required' }]);
    expect(issuesOf(null)).toEqual([{ path: '', message: 'must be a holiday { start, end, label? }, got null' }]);
  });
});

describe('localDate', () => {
  it('R20: is the civil date of the instant in the zone', () => {
    const at = new Date('2026-12-23T15:30:00Z');
    expect(localDate('Asia/Seoul', at)).toBe('2026-12-24');
    expect(localDate('America/New_York', at)).toBe('2026-12-23');
    expect(localDate('Pacific/Chatham', new Date('2026-12-31T11:15:00Z'))).toBe('2027-01-01'); // +13:45
    expect(localDate('Pacific/Chatham', new Date('2026-12-31T10:14:59.999Z'))).toBe('2026-12-31');
    expect(localDate('Asia/Kathmandu', new Date('2026-06-30T18:15:00Z'))).toBe('2026-07-01'); // +05:45
    expect(localDate('Asia/Kathmandu', new Date('2026-06-30T18:14:59.999Z'))).toBe('2026-06-30');
  });

  it('R20: agrees with TZDate for random instants and zones', () => {
    const zones = ['Asia/Seoul', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2045, 0, 1) }),
        (zone, time) => {
          const reference = new TZDate(time, zone);
          const expected = `${String(reference.getFullYear()).padStart(4, '0')}-${String(reference.getMonth() + 1).padStart(2, '0')}-${String(reference.getDate()).padStart(2, '0')}`;
          expect(localDate(zone, new Date(time))).toBe(expected);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('R20: refuses an invalid Date or an unknown zone', () => {
    expect(() => localDate('Asia/Seoul', new Date('nope'))).toThrow(RangeError);
    expect(() => localDate('Mars/Base', new Date())).toThrow("unknown time zone 'Mars/Base'");
  });
});

describe('findOverlappingHoliday', () => {
  const holidays = [
    { id: 'h1', start: '2026-12-24', end: '2026-12-26' },
    { id: 'h2', start: '2027-01-01', end: '2027-01-01' },
  ];

  it('R20: finds a holiday sharing a day (inclusive ranges)', () => {
    expect(findOverlappingHoliday(holidays, '2026-12-26', '2026-12-31')).toBe(holidays[0]);
    expect(findOverlappingHoliday(holidays, '2026-12-20', '2026-12-24')).toBe(holidays[0]);
    expect(findOverlappingHoliday(holidays, '2026-12-25', '2026-12-25')).toBe(holidays[0]);
    expect(findOverlappingHoliday(holidays, '2026-12-01', '2027-02-01')).toBe(holidays[0]);
    expect(findOverlappingHoliday(holidays, '2026-12-31', '2027-01-01')).toBe(holidays[1]);
  });

  it('R20: adjacent holidays do not overlap', () => {
    expect(findOverlappingHoliday(holidays, '2026-12-27', '2026-12-31')).toBeUndefined();
    expect(findOverlappingHoliday(holidays, '2026-12-20', '2026-12-23')).toBeUndefined();
    expect(findOverlappingHoliday([], '2026-12-20', '2026-12-23')).toBeUndefined();
  });

  it('R20: agrees with a day-by-day comparison', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((offset) => formatCivilDate(civilDayNumber('2026-12-01')! + offset));
    const range = fc.tuple(day, day).map(([a, b]) => (a <= b ? { start: a, end: b } : { start: b, end: a }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 5 }), range, (list, probe) => {
        const days = (r: { start: string; end: string }) => {
          const out = new Set<number>();
          for (let d = civilDayNumber(r.start)!; d <= civilDayNumber(r.end)!; d++) out.add(d);
          return out;
        };
        const probeDays = days(probe);
        const expected = list.find((h) => [...days(h)].some((d) => probeDays.has(d)));
        expect(findOverlappingHoliday(list, probe.start, probe.end)).toBe(expected);
      }),
    );
  });
});

describe('civil dates', () => {
  it('R20: day numbers and their text round-trip', () => {
    expect(civilDayNumber('1970-01-01')).toBe(0);
    expect(civilDayNumber('0001-01-01')).toBe(-719_162);
    expect(formatCivilDate(civilDayNumber('0099-12-31')!)).toBe('0099-12-31');
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (day) => {
        expect(civilDayNumber(formatCivilDate(day))).toBe(day);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyWeeklyHoursPatch,
  dayRangesSchema,
  defaultWeeklyHours,
  timeRangeSchema,
  weeklyHoursPatchSchema,
  weeklyHoursSchema,
} from '../../src/schedule/weekly-hours.js';
import { parseInput } from '../../src/validation/parse-input.js';

/** The issues of a failed parse under the `weeklyHours` prefix, as operations report them. */
function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = parseInput(weeklyHoursPatchSchema, input, 'weeklyHours');
  if (result.isOk()) throw new Error(`expected a validation error for ${JSON.stringify(input)}`);
  if (result.error.code !== 'validation') throw new Error(`unexpected ${result.error.code}`);
  return result.error.issues;
}

describe('timeRangeSchema', () => {
  it('R18: accepts whole-minute ranges from 00:00 up to 24:00', () => {
    expect(timeRangeSchema.parse({ from: '00:00', to: '24:00' })).toEqual({ from: '00:00', to: '24:00' });
    expect(timeRangeSchema.parse({ from: '09:00', to: '09:01' })).toEqual({ from: '09:00', to: '09:01' });
    expect(timeRangeSchema.parse({ from: '23:59', to: '24:00' })).toEqual({ from: '23:59', to: '24:00' });
  });

  it.each([
    ['25:00'],
    ['24:01'],
    ['9:00'],
    ['09:60'],
    ['09:00:30'],
    ['0900'],
    [' 09:00'],
    ['０９:００'],
    [''],
  ])('R18: refuses the wall time %j with an actionable message', (text) => {
    const issues = issuesOf({ mon: [{ from: text, to: '24:00' }] });
    expect(issues).toEqual([
      { path: 'weeklyHours.mon.0.from', message: `must be HH:mm between 00:00 and 24:00, got '${text}'` },
    ]);
  });

  it('R18: names the wrong type of a time', () => {
    expect(issuesOf({ tue: [{ from: 9, to: '18:00' }] })).toEqual([
      { path: 'weeklyHours.tue.0.from', message: 'must be HH:mm between 00:00 and 24:00, got number' },
    ]);
    expect(issuesOf({ tue: [{ from: '09:00' }] })).toEqual([{ path: 'weeklyHours.tue.0.to', message: 'required' }]);
  });

  it('R18: 24:00 only ends a range', () => {
    expect(issuesOf({ wed: [{ from: '24:00', to: '24:00' }] })).toEqual([
      { path: 'weeklyHours.wed.0.from', message: '24:00 can only end a range; start at 00:00 to open from midnight' },
    ]);
  });

  it('R18: from must come before to; a range never crosses midnight', () => {
    const [issue] = issuesOf({ thu: [{ from: '22:00', to: '02:00' }] });
    expect(issue?.path).toBe('weeklyHours.thu.0.to');
    expect(issue?.message).toMatch(/^must be after from \(22:00\), got '02:00'; to cross midnight, end at 24:00/);
    expect(issuesOf({ thu: [{ from: '10:00', to: '10:00' }] })[0]?.path).toBe('weeklyHours.thu.0.to');
  });

  it('R18 R27: refuses unknown keys in a range', () => {
    expect(issuesOf({ fri: [{ from: '09:00', to: '18:00', note: 'x' }] })).toEqual([
      { path: 'weeklyHours.fri.0', message: 'unknown field(s): note' },
    ]);
  });

  it('R18: refuses a range that is not an object', () => {
    expect(issuesOf({ fri: ['09:00-18:00'] })).toEqual([
      { path: 'weeklyHours.fri.0', message: "must be a range { from: 'HH:mm', to: 'HH:mm' }, got string" },
    ]);
  });
});

describe('dayRangesSchema', () => {
  it('R18: stores ranges sorted by from', () => {
    expect(
      dayRangesSchema.parse([
        { from: '13:00', to: '18:00' },
        { from: '00:00', to: '01:00' },
        { from: '09:00', to: '12:00' },
      ]),
    ).toEqual([
      { from: '00:00', to: '01:00' },
      { from: '09:00', to: '12:00' },
      { from: '13:00', to: '18:00' },
    ]);
  });

  it('R18: touching ranges are not an overlap', () => {
    expect(
      dayRangesSchema.parse([
        { from: '12:00', to: '13:00' },
        { from: '09:00', to: '12:00' },
      ]),
    ).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '12:00', to: '13:00' },
    ]);
  });

  it('R18: an overlap is reported on the later range, naming the earlier', () => {
    expect(
      issuesOf({
        mon: [
          { from: '09:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
      }),
    ).toEqual([{ path: 'weeklyHours.mon.1', message: 'overlaps range 0 (09:00–12:00)' }]);
  });

  it('R18: overlaps are found whatever the order, and each range is reported once', () => {
    expect(
      issuesOf({
        sat: [
          { from: '14:00', to: '15:00' },
          { from: '08:00', to: '20:00' },
          { from: '10:00', to: '11:00' },
          { from: '10:00', to: '11:00' },
        ],
      }),
    ).toEqual([
      { path: 'weeklyHours.sat.1', message: 'overlaps range 0 (14:00–15:00)' },
      { path: 'weeklyHours.sat.2', message: 'overlaps range 1 (08:00–20:00)' },
      { path: 'weeklyHours.sat.3', message: 'overlaps range 1 (08:00–20:00)' },
    ]);
  });

  it('R18: a day that is not a list is refused', () => {
    expect(issuesOf({ sun: null })).toEqual([
      { path: 'weeklyHours.sun', message: "must be a list of ranges like [{ from: '09:00', to: '18:00' }], got null" },
    ]);
  });

  it('R18: an empty list is a closed day', () => {
    expect(dayRangesSchema.parse([])).toEqual([]);
  });
});

describe('weeklyHoursPatchSchema', () => {
  it('R18: an update may name only some days', () => {
    expect(weeklyHoursPatchSchema.parse({ sat: [{ from: '10:00', to: '14:00' }] })).toEqual({
      sat: [{ from: '10:00', to: '14:00' }],
    });
    expect(weeklyHoursPatchSchema.parse({})).toEqual({});
  });

  it('R18 R27: unknown days are refused, never ignored', () => {
    expect(issuesOf({ monday: [] })).toEqual([{ path: 'weeklyHours', message: 'unknown field(s): monday' }]);
    expect(issuesOf(JSON.parse('{"__proto__": [], "mon": []}'))).toEqual([
      { path: 'weeklyHours', message: 'unknown field(s): __proto__' },
    ]);
  });

  it('R18 R27: wrong shapes are refused without throwing', () => {
    expect(issuesOf(null)).toEqual([{ path: 'weeklyHours', message: 'must be an object of days mon..sun, got null' }]);
    expect(issuesOf([])).toEqual([{ path: 'weeklyHours', message: 'must be an object of days mon..sun, got array' }]);
  });

  it('R18: the days left out keep their ranges', () => {
    const current = defaultWeeklyHours();
    const next = applyWeeklyHoursPatch(current, weeklyHoursPatchSchema.parse({ fri: [{ from: '09:00', to: '15:00' }], sat: [] }));
    expect(next).toEqual({ ...defaultWeeklyHours(), fri: [{ from: '09:00', to: '15:00' }], sat: [] });
    expect(current).toEqual(defaultWeeklyHours());
  });
});

describe('weeklyHoursSchema', () => {
  it('R18: a complete week needs all seven days', () => {
    expect(weeklyHoursSchema.parse(defaultWeeklyHours())).toEqual(defaultWeeklyHours());
    const result = weeklyHoursSchema.safeParse({ mon: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
  });
});

describe('defaultWeeklyHours', () => {
  it('R14: Monday to Friday 09:00–18:00, Saturday and Sunday closed', () => {
    const workday = [{ from: '09:00', to: '18:00' }];
    expect(defaultWeeklyHours()).toEqual({ mon: workday, tue: workday, wed: workday, thu: workday, fri: workday, sat: [], sun: [] });
  });

  it('R14: each call gives a new object', () => {
    const first = defaultWeeklyHours();
    first.mon.push({ from: '20:00', to: '21:00' });
    expect(defaultWeeklyHours().mon).toEqual([{ from: '09:00', to: '18:00' }]);
  });
});

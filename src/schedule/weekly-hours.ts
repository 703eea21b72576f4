/**
 * Weekly opening hours (R18): validation of ranges and of an update naming some days, the
 * default week, and applying an update.
 *
 * @module
 */
import * as z from 'zod';
import { typeName } from '../internal/value-kinds.js';
import { WEEKDAYS, type TimeRange, type WeeklyHours } from './schedule-types.js';
import { MINUTES_PER_DAY, wallTimeMinutes } from './wall-time.js';

// Kept in its own zod-free module so `defaultSettings` does not pull the schemas into a bundle.
export { defaultWeeklyHours } from './default-weekly-hours.js';

/** More non-overlapping ranges of whole minutes than fit in a day cannot exist. */
const MAX_RANGES_PER_DAY = MINUTES_PER_DAY;

const wallTimeSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'required' : `must be HH:mm between 00:00 and 24:00, got ${typeName(issue.input)}`,
  })
  .superRefine((value, ctx) => {
    if (wallTimeMinutes(value) === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be HH:mm between 00:00 and 24:00, got ${quote(value)}` });
    }
  });

/**
 * One opening range `{ from: 'HH:mm', to: 'HH:mm' }`, half-open `[from, to)`, in whole minutes,
 * with `00:00 ≤ from < to ≤ 24:00`; `24:00` (the end of the day) only as `to`. Unknown keys are
 * refused. A range never crosses midnight: split it into `22:00–24:00` and `00:00–02:00` of the
 * next day (the two make one continuous stretch).
 *
 * @example
 * ```ts
 * timeRangeSchema.parse({ from: '09:00', to: '18:00' }); // → { from: '09:00', to: '18:00' }
 * timeRangeSchema.safeParse({ from: '22:00', to: '02:00' }).success; // → false: "to: must be after from (22:00) …"
 * ```
 */
export const timeRangeSchema = z
  .strictObject(
    { from: wallTimeSchema, to: wallTimeSchema },
    { error: (issue) => `must be a range { from: 'HH:mm', to: 'HH:mm' }, got ${typeName(issue.input)}` },
  )
  .superRefine((range, ctx) => {
    const from = wallTimeMinutes(range.from);
    const to = wallTimeMinutes(range.to);
    if (from === undefined || to === undefined) return;
    if (from === MINUTES_PER_DAY) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: "24:00 can only end a range; start at 00:00 to open from midnight",
      });
    } else if (to <= from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be after from (${range.from}), got ${quote(range.to)}; to cross midnight, end at 24:00 and start the next day at 00:00`,
      });
    }
  });

/**
 * The ranges of one day: non-overlapping (touching, like `09:00–12:00` and `12:00–13:00`, is
 * fine), returned sorted by `from`. An empty list is a closed day. An overlap is reported on the
 * later of the two ranges (`1: overlaps range 0 (09:00–12:00)`).
 *
 * @example
 * ```ts
 * dayRangesSchema.parse([{ from: '13:00', to: '18:00' }, { from: '09:00', to: '12:00' }]);
 * // → [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }]
 * ```
 */
export const dayRangesSchema = z
  .array(timeRangeSchema, {
    error: (issue) => `must be a list of ranges like [{ from: '09:00', to: '18:00' }], got ${typeName(issue.input)}`,
  })
  .max(MAX_RANGES_PER_DAY, { error: (issue) => `at most ${MAX_RANGES_PER_DAY} ranges a day, got ${(issue.input as unknown[]).length}` })
  .superRefine((ranges, ctx) => {
    const parsed = ranges.map((range, index) => ({
      index,
      range,
      from: wallTimeMinutes(range.from) ?? Number.NaN,
      to: wallTimeMinutes(range.to) ?? Number.NaN,
    }));
    if (parsed.some((entry) => !(entry.from < entry.to))) return; // each bad range has its own issue
    parsed.sort((a, b) => a.from - b.from || a.index - b.index);
    // Sweep by start: a range overlaps when it starts before the furthest end seen so far.
    let furthest = parsed[0];
    const overlaps = new Map<number, string>();
    for (const entry of parsed.slice(1)) {
      if (furthest !== undefined && entry.from < furthest.to) {
        const [earlier, later] = entry.index < furthest.index ? [entry, furthest] : [furthest, entry];
        if (!overlaps.has(later.index)) {
          overlaps.set(later.index, `overlaps range ${earlier.index} (${earlier.range.from}–${earlier.range.to})`);
        }
      }
      if (furthest === undefined || entry.to > furthest.to) furthest = entry;
    }
    // Reported in list order, so the paths read top to bottom.
    for (const [index, message] of [...overlaps].sort(([a], [b]) => a - b)) {
      ctx.addIssue({ code: 'custom', path: [index], message });
    }
  })
  .transform((ranges) => sortRanges(ranges));

/**
 * An update of weekly hours (R18): any of `mon`..`sun`, each the full new list of ranges of that
 * day; days left out keep their ranges ({@link applyWeeklyHoursPatch}). Unknown keys
 * (`monday`, `Mon`) are refused. Issue paths read `mon.1.to`, or `mon.1` for an overlap.
 *
 * @example
 * ```ts
 * weeklyHoursPatchSchema.parse({ sat: [{ from: '10:00', to: '14:00' }] });
 * // → { sat: [{ from: '10:00', to: '14:00' }] }
 * weeklyHoursPatchSchema.safeParse({ mon: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '13:00' }] }).error?.issues[0];
 * // → { path: ['mon', 1], message: 'overlaps range 0 (09:00–12:00)', … }
 * ```
 */
export const weeklyHoursPatchSchema = z.strictObject(
  {
    mon: dayRangesSchema.optional(),
    tue: dayRangesSchema.optional(),
    wed: dayRangesSchema.optional(),
    thu: dayRangesSchema.optional(),
    fri: dayRangesSchema.optional(),
    sat: dayRangesSchema.optional(),
    sun: dayRangesSchema.optional(),
  },
  { error: (issue) => `must be an object of days mon..sun, got ${typeName(issue.input)}` },
);

/**
 * A complete week: every day `mon`..`sun` present (an empty list for a closed day).
 *
 * @example
 * ```ts
 * weeklyHoursSchema.parse(defaultWeeklyHours()); // → the same week
 * weeklyHoursSchema.safeParse({ mon: [] }).success; // → false: tue..sun are required
 * ```
 */
export const weeklyHoursSchema = z.strictObject(
  {
    mon: dayRangesSchema,
    tue: dayRangesSchema,
    wed: dayRangesSchema,
    thu: dayRangesSchema,
    fri: dayRangesSchema,
    sat: dayRangesSchema,
    sun: dayRangesSchema,
  },
  { error: (issue) => `must be an object of days mon..sun, got ${typeName(issue.input)}` },
);

/**
 * A validated update of weekly hours.
 *
 * @example
 * ```ts
 * const patch: WeeklyHoursPatch = weeklyHoursPatchSchema.parse({ sun: [] });
 * ```
 */
export type WeeklyHoursPatch = z.output<typeof weeklyHoursPatchSchema>;

/**
 * Applies a validated update (R18): the days it names take its ranges (sorted by `from`), the
 * others keep theirs. Returns a new object; neither input changes.
 *
 * @example
 * ```ts
 * applyWeeklyHoursPatch(defaultWeeklyHours(), { fri: [{ from: '09:00', to: '15:00' }] }).fri;
 * // → [{ from: '09:00', to: '15:00' }]  (mon..thu keep 09:00–18:00)
 * ```
 */
export function applyWeeklyHoursPatch(current: WeeklyHours, patch: WeeklyHoursPatch): WeeklyHours {
  const next = {} as WeeklyHours;
  for (const day of WEEKDAYS) {
    const ranges: readonly TimeRange[] = patch[day] ?? current[day];
    next[day] = sortRanges(ranges);
  }
  return next;
}

/** Copies ranges sorted by `from` (the stored order). */
function sortRanges(ranges: readonly TimeRange[]): TimeRange[] {
  return ranges
    .map((range) => ({ from: range.from, to: range.to }))
    .sort((a, b) => (wallTimeMinutes(a.from) ?? 0) - (wallTimeMinutes(b.from) ?? 0));
}

function quote(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `'${shown}'`;
}

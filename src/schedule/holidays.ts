/**
 * Holidays (R20): validation of a new holiday, the local date of an instant (for
 * `holiday_in_past`), and overlap between holidays (for `holiday_overlap`).
 *
 * @module
 */
import * as z from 'zod';
import { typeName } from '../internal/value-kinds.js';
import { textField } from '../validation/text-fields.js';
import { DAY_MS } from '../internal/durations.js';
import { civilDayNumber, formatCivilDate } from './civil-date.js';
import { instantOf } from './compiled-schedule.js';
import { zoneOffsets } from './zone-offsets.js';

/**
 * A real calendar date written `'YYYY-MM-DD'` (`'2026-02-30'` and `'2026-2-3'` are refused).
 *
 * @example
 * ```ts
 * civilDateSchema.parse('2026-12-24'); // → '2026-12-24'
 * civilDateSchema.safeParse('2026-02-30').success; // → false
 * ```
 */
export const civilDateSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'required' : `must be a date YYYY-MM-DD, got ${typeName(issue.input)}`,
  })
  .superRefine((value, ctx) => {
    if (civilDayNumber(value) === undefined) {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      ctx.addIssue({ code: 'custom', message: `must be a real date YYYY-MM-DD, got '${shown}'` });
    }
  });

/**
 * A new holiday (R20): `{ start, end, label? }`, whole local days `start`..`end` inclusive,
 * `end ≥ start` (else an issue on `end`), an optional label of 1–50 characters (trimmed).
 * Unknown keys are refused. Whether `start` is in the past and whether it overlaps another
 * holiday are rules the operation decides (`holiday_in_past`, `holiday_overlap`) with
 * {@link localDate} and {@link findOverlappingHoliday}.
 *
 * @example
 * ```ts
 * holidayInputSchema.parse({ start: '2026-12-24', end: '2026-12-26', label: ' Christmas ' });
 * // → { start: '2026-12-24', end: '2026-12-26', label: 'Christmas' }
 * holidayInputSchema.safeParse({ start: '2026-12-26', end: '2026-12-24' }).success; // → false (end)
 * ```
 */
export const holidayInputSchema = z
  .strictObject(
    {
      start: civilDateSchema,
      end: civilDateSchema,
      label: textField({ min: 1, max: 50, trim: true, forbidControl: true }).optional(),
    },
    { error: (issue) => `must be a holiday { start, end, label? }, got ${typeName(issue.input)}` },
  )
  .superRefine((holiday, ctx) => {
    const start = civilDayNumber(holiday.start);
    const end = civilDayNumber(holiday.end);
    if (start !== undefined && end !== undefined && end < start) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `must be on or after start (${holiday.start}), got '${holiday.end}'`,
      });
    }
  });

/**
 * A validated new holiday.
 *
 * @example
 * ```ts
 * const holiday: HolidayInput = holidayInputSchema.parse({ start: '2026-12-24', end: '2026-12-26' });
 * ```
 */
export type HolidayInput = z.output<typeof holidayInputSchema>;

/**
 * The civil date (`'YYYY-MM-DD'`) of an instant in a time zone: "today" there. The same
 * offsets `availability` uses, so the two always agree on which day an instant is.
 *
 * @throws RangeError for an invalid `Date` or a time zone the runtime does not know.
 *
 * @example
 * ```ts
 * localDate('Asia/Seoul', new Date('2026-12-23T15:30:00Z'));       // → '2026-12-24'
 * localDate('America/New_York', new Date('2026-12-23T15:30:00Z')); // → '2026-12-23'
 * ```
 */
export function localDate(timeZone: string, at: Date): string {
  const time = instantOf(at);
  const local = time + zoneOffsets(timeZone).offsetAt(time);
  return formatCivilDate(Math.floor(local / DAY_MS));
}

/**
 * The first holiday that shares a day with `start`..`end` (both inclusive, `'YYYY-MM-DD'`), or
 * `undefined`. Dates compare as text, which for `'YYYY-MM-DD'` is calendar order.
 *
 * @example
 * ```ts
 * const holidays = [{ id: 'h1', start: '2026-12-24', end: '2026-12-26' }];
 * findOverlappingHoliday(holidays, '2026-12-26', '2026-12-31'); // → holidays[0] (shares Dec 26)
 * findOverlappingHoliday(holidays, '2026-12-27', '2026-12-31'); // → undefined (adjacent is fine)
 * ```
 */
export function findOverlappingHoliday<H extends { start: string; end: string }>(
  holidays: readonly H[],
  start: string,
  end: string,
): H | undefined {
  return holidays.find((holiday) => holiday.start <= end && start <= holiday.end);
}

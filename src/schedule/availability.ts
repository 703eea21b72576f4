/**
 * Whether an account is open, away or on holiday at an instant (R21).
 *
 * @module
 */
import { compiledSchedule, instantOf, stateAtLocal } from './compiled-schedule.js';
import type { ScheduleSettings, AvailabilityState } from './schedule-types.js';

/**
 * The availability of an account at an instant (R21):
 * - `'holiday'` when the local date of `at` in `settings.timeZone` is inside a holiday
 *   (inclusive);
 * - else `'open'` when the local wall time of `at` is inside a range `[from, to)` of that
 *   weekday;
 * - else `'away'`.
 *
 * Wall-clock semantics across daylight-saving changes (R18): a range covers the instants whose
 * local time falls inside it, so a local time skipped by a spring-forward gap is never open, and
 * both instants of a repeated fall-back hour are open when that hour is in a range.
 *
 * Pure and browser-safe. The settings are compiled once per object and cached, so treat them
 * as immutable values (pass a new object after a change).
 *
 * @throws RangeError for an invalid `Date`, or settings that never passed validation (an
 * unknown time zone, a malformed range or holiday).
 *
 * @example
 * ```ts
 * const settings = defaultSettings('Asia/Seoul'); // Mon–Fri 09:00–18:00
 * availability(settings, new Date('2026-03-02T01:00:00Z')); // → 'open'  (Mon 10:00 in Seoul)
 * availability(settings, new Date('2026-03-02T10:00:00Z')); // → 'away'  (Mon 19:00 in Seoul)
 * availability({ ...settings, holidays: [{ id: 'h1', start: '2026-03-02', end: '2026-03-02' }] },
 *   new Date('2026-03-02T01:00:00Z')); // → 'holiday'
 * ```
 *
 * @category Schedule
 */
export function availability(settings: ScheduleSettings, at: Date): AvailabilityState {
  const schedule = compiledSchedule(settings);
  const time = instantOf(at);
  return stateAtLocal(schedule, time + schedule.offsets.offsetAt(time));
}

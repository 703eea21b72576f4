/**
 * The default week of a new account (R14).
 *
 * @module
 */
import type { TimeRange, WeeklyHours } from './schedule-types.js';

/**
 * The default week (R14): Monday to Friday 09:00–18:00, Saturday and Sunday closed. A new
 * object each call.
 *
 * @example
 * ```ts
 * defaultWeeklyHours().mon; // → [{ from: '09:00', to: '18:00' }]
 * defaultWeeklyHours().sat; // → []
 * ```
 */
export function defaultWeeklyHours(): WeeklyHours {
  const workday = (): TimeRange[] => [{ from: '09:00', to: '18:00' }];
  return { mon: workday(), tue: workday(), wed: workday(), thu: workday(), fri: workday(), sat: [], sun: [] };
}

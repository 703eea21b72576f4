/**
 * The schedule of a consultation account: weekly hours, holidays, time zone, and the pure,
 * browser-safe `availability` and `nextChange` (R14, R18–R21).
 *
 * @example
 * ```ts
 * import { availability, defaultSettings, nextChange } from 'cx-accounts';
 *
 * const settings = defaultSettings('Asia/Seoul');
 * availability(settings, new Date()); // → 'open' | 'away' | 'holiday'
 * nextChange(settings, new Date());   // → { at, state } | null
 * ```
 *
 * @module
 */
export { availability } from './availability.js';
export { nextChange, type AvailabilityChange } from './next-change.js';
export { defaultSettings } from './default-settings.js';
export {
  applyWeeklyHoursPatch,
  dayRangesSchema,
  defaultWeeklyHours,
  timeRangeSchema,
  weeklyHoursPatchSchema,
  weeklyHoursSchema,
  type WeeklyHoursPatch,
} from './weekly-hours.js';
export { isValidTimeZone, timeZoneProblem, timeZoneSchema } from './time-zone.js';
export {
  civilDateSchema,
  findOverlappingHoliday,
  holidayInputSchema,
  localDate,
  type HolidayInput,
} from './holidays.js';
export {
  WEEKDAYS,
  type AccountSettings,
  type ScheduleSettings,
  type AvailabilityState,
  type Holiday,
  type TimeRange,
  type Weekday,
  type WeeklyHours,
} from './schedule-types.js';

/**
 * `cx-accounts/schedule`: the pure schedule functions, on their own (R14, R18–R21).
 *
 * Nothing here touches a store, the network or a Node built-in, and nothing brings the
 * validation library along: a booking widget or a status badge can import this subpath into a
 * browser bundle for a few kilobytes. The same functions are exported from `cx-accounts` too.
 *
 * @example
 * ```ts
 * import { availability, defaultSettings, nextChange } from 'cx-accounts/schedule';
 *
 * const settings = defaultSettings('Asia/Seoul');
 * const now = new Date();
 * const change = nextChange(settings, now);
 * const label = change === null ? availability(settings, now) : `${availability(settings, now)} until ${change.at.toISOString()}`;
 * ```
 *
 * @module cx-accounts/schedule
 */
export { availability } from './schedule/availability.js';
export { nextChange, type AvailabilityChange } from './schedule/next-change.js';
export { defaultSettings } from './schedule/default-settings.js';
export { defaultWeeklyHours } from './schedule/default-weekly-hours.js';
export { isValidTimeZone, timeZoneProblem } from './schedule/time-zone-names.js';
export {
  WEEKDAYS,
  type AccountSettings,
  type AvailabilityState,
  type ExternalChannels,
  type ScheduleSettings,
  type Holiday,
  type TimeRange,
  type Weekday,
  type WeeklyHours,
} from './schedule/schedule-types.js';

/**
 * The settings of a new account (R14).
 *
 * @module
 */
import type { AccountSettings } from './schedule-types.js';
import { defaultWeeklyHours } from './default-weekly-hours.js';

/**
 * The settings of a new account (R14): the given time zone, Monday–Friday 09:00–18:00 open,
 * Saturday and Sunday closed, empty welcome, away and holiday messages, no holidays, both
 * external channels connected (R43).
 * A new object each call.
 *
 * @example
 * ```ts
 * const settings = defaultSettings('Asia/Seoul');
 * settings.weeklyHours.mon; // → [{ from: '09:00', to: '18:00' }]
 * settings.holidays;        // → []
 * ```
 */
export function defaultSettings(timeZone = 'UTC'): AccountSettings {
  return {
    timeZone,
    weeklyHours: defaultWeeklyHours(),
    welcomeMessage: '',
    awayMessage: '',
    holidayMessage: '',
    holidays: [],
    channels: { line: true, mail: true },
  };
}

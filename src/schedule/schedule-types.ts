/**
 * A day of the week, Monday first.
 *
 * @category Schedule
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * The weekdays in order, Monday first.
 *
 * @category Schedule
 */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A half-open wall-clock range `[from, to)` within one day, as `'HH:mm'`.
 * `to` may be `'24:00'`, the end of that day.
 *
 * @category Schedule
 */
export type TimeRange = { from: string; to: string };

/**
 * Opening ranges for each weekday; an empty list is a closed day.
 *
 * @category Schedule
 */
export type WeeklyHours = Record<Weekday, TimeRange[]>;

/**
 * Whole local days `start`..`end` (inclusive, `'YYYY-MM-DD'`) in the account's time zone.
 *
 * @category Schedule
 */
export type Holiday = { id: string; start: string; end: string; label?: string };

/**
 * The consultation settings of an account (R14, R18–R20).
 *
 * @category Schedule
 */
export type AccountSettings = {
  /** IANA time zone name, e.g. `'Asia/Seoul'`. */
  timeZone: string;
  weeklyHours: WeeklyHours;
  /** Sent once to a customer who adds the account; empty means none. */
  welcomeMessage: string;
  /** Sent outside operating hours; empty means none. */
  awayMessage: string;
  /** Sent on holidays; empty means none. */
  holidayMessage: string;
  holidays: Holiday[];
  /** Which external channels are connected (R43); `lineworks` always is. */
  channels: ExternalChannels;
};

/**
 * What the schedule functions (`availability`, `nextChange`) read of the settings: an
 * account's `settings` will do, and so will an object with just these three fields.
 *
 * @category Schedule
 */
export type ScheduleSettings = Pick<AccountSettings, 'timeZone' | 'weeklyHours' | 'holidays'>;

/**
 * Whether each external channel of an account is connected (R43).
 *
 * @category Schedule
 */
export type ExternalChannels = { line: boolean; mail: boolean };

/**
 * What `availability` answers.
 *
 * @category Schedule
 */
export type AvailabilityState = 'open' | 'away' | 'holiday';

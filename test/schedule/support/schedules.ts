import type { ScheduleSettings, Holiday, TimeRange, WeeklyHours } from '../../../src/schedule/schedule-types.js';

/** A closed week with the given days open. */
export function week(days: Partial<WeeklyHours> = {}): WeeklyHours {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days };
}

/** Settings in a zone with the given week and holidays (`[start, end]` pairs). */
export function settingsOf(
  timeZone: string,
  days: Partial<WeeklyHours>,
  holidays: [string, string][] = [],
): ScheduleSettings {
  return {
    timeZone,
    weeklyHours: week(days),
    holidays: holidays.map(([start, end], index): Holiday => ({ id: `h${index}`, start, end })),
  };
}

/** A range `from`–`to`. */
export function range(from: string, to: string): TimeRange {
  return { from, to };
}

/** Every day of the week with the same ranges. */
export function everyDay(...ranges: TimeRange[]): WeeklyHours {
  return { mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges, sat: ranges, sun: ranges };
}

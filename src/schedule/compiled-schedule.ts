/**
 * Settings compiled for fast evaluation: the week as a table of 10,080 minutes with its change
 * points, holidays as merged day-number ranges, and the zone's offsets. Compiled once per
 * settings object and cached; `availability` and `nextChange` only read it.
 *
 * Everything here works in *local* milliseconds: an instant plus the zone's offset at it, so
 * that local midnight of day `d` (days since 1970-01-01) is `d * DAY_MS`.
 *
 * @module
 */
import { DAY_MS, MINUTE_MS } from '../internal/durations.js';
import { civilDayNumber } from './civil-date.js';
import { WEEKDAYS, type ScheduleSettings, type AvailabilityState, type Holiday, type WeeklyHours } from './schedule-types.js';
import { MINUTES_PER_DAY, wallTimeMinutes } from './wall-time.js';
import { zoneOffsets, type ZoneOffsets } from './zone-offsets.js';

const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: day 0 is 3 days after a Monday. */
const MONDAY_SHIFT_DAYS = 3;

/**
 * The week of a `WeeklyHours`, minute by minute.
 *
 * @example
 * ```ts
 * const { week } = compiledSchedule(defaultSettings('UTC'));
 * week.open[540];  // → 1 (Mon 09:00)
 * week.changes[0]; // → 540
 * ```
 */
export type WeekTable = {
  /** 1 where open; index `weekday * 1440 + minute`, Monday 00:00 first. */
  open: Uint8Array;
  /**
   * Week minutes at which openness differs from the minute before (Sunday 23:59 before Monday
   * 00:00), ascending. Empty when the week is always open or always closed. Ranges that touch
   * (Mon 22:00–24:00, Tue 00:00–02:00) make no change point where they meet.
   */
  changes: Int32Array;
};

/**
 * Settings ready for evaluation.
 *
 * @example
 * ```ts
 * const schedule: CompiledSchedule = compiledSchedule(settings);
 * stateAtLocal(schedule, local); // → 'open' | 'away' | 'holiday'
 * ```
 */
export type CompiledSchedule = {
  offsets: ZoneOffsets;
  week: WeekTable;
  /** Merged holidays (overlapping or adjacent ones joined), day numbers, inclusive, by start. */
  holidayStarts: number[];
  holidayEnds: number[];
};

/** A compiled week and the day lists it was compiled from, to notice a list replaced in place. */
type WeekEntry = {
  table: WeekTable;
  mon: unknown; tue: unknown; wed: unknown; thu: unknown; fri: unknown; sat: unknown; sun: unknown;
  /** The lists' lengths, Monday first, to notice a list that grew or shrank in place. */
  lengths: number[];
};
type SettingsEntry = {
  compiled: CompiledSchedule;
  weekEntry: WeekEntry;
  weeklyHours: WeeklyHours;
  holidays: Holiday[];
  holidayCount: number;
  timeZone: string;
};

// Settings are values: compiled once per object. The identity and length checks below catch a
// caller who replaced or appended to a day's list or the holidays in place.
const weekCache = new WeakMap<WeeklyHours, WeekEntry>();
const settingsCache = new WeakMap<ScheduleSettings, SettingsEntry>();

/**
 * The compiled form of settings, from the cache when the settings object (and its week and
 * holidays) are unchanged.
 *
 * @throws RangeError for settings that never passed validation (a malformed range or date, an
 * unknown time zone).
 *
 * @example
 * ```ts
 * const schedule = compiledSchedule(defaultSettings('Asia/Seoul'));
 * schedule.week.changes; // → Int32Array [540, 1080, 1980, …] (Mon 09:00, Mon 18:00, Tue 09:00, …)
 * ```
 */
export function compiledSchedule(settings: ScheduleSettings): CompiledSchedule {
  const cached = settingsCache.get(settings);
  if (
    cached !== undefined &&
    cached.weeklyHours === settings.weeklyHours &&
    cached.holidays === settings.holidays &&
    cached.holidayCount === settings.holidays.length &&
    cached.timeZone === settings.timeZone &&
    weekEntryIsCurrent(cached.weekEntry, settings.weeklyHours)
  ) {
    return cached.compiled;
  }
  const contentKey = scheduleContentKey(settings);
  const known = contentKey === null ? undefined : schedulesByContent.get(contentKey);
  if (known !== undefined) return known;
  const weekEntry = weekEntryOf(settings.weeklyHours);
  const { starts, ends } = mergeHolidays(settings.holidays);
  const compiled: CompiledSchedule = {
    offsets: zoneOffsets(settings.timeZone),
    week: weekEntry.table,
    holidayStarts: starts,
    holidayEnds: ends,
  };
  settingsCache.set(settings, {
    compiled,
    weekEntry,
    weeklyHours: settings.weeklyHours,
    holidays: settings.holidays,
    holidayCount: settings.holidays.length,
    timeZone: settings.timeZone,
  });
  if (contentKey !== null) {
    if (schedulesByContent.size >= SCHEDULES_BY_CONTENT_LIMIT) schedulesByContent.clear();
    schedulesByContent.set(contentKey, compiled);
  }
  return compiled;
}

// Plain property reads (no loop over day names): this runs on every call and must cost nanoseconds.
function weekEntryIsCurrent(entry: WeekEntry, weeklyHours: WeeklyHours): boolean {
  return (
    weeklyHours.mon === entry.mon &&
    weeklyHours.tue === entry.tue &&
    weeklyHours.wed === entry.wed &&
    weeklyHours.thu === entry.thu &&
    weeklyHours.fri === entry.fri &&
    weeklyHours.sat === entry.sat &&
    weeklyHours.sun === entry.sun &&
    weeklyHours.mon.length === entry.lengths[0] &&
    weeklyHours.tue.length === entry.lengths[1] &&
    weeklyHours.wed.length === entry.lengths[2] &&
    weeklyHours.thu.length === entry.lengths[3] &&
    weeklyHours.fri.length === entry.lengths[4] &&
    weeklyHours.sat.length === entry.lengths[5] &&
    weeklyHours.sun.length === entry.lengths[6]
  );
}

function weekEntryOf(weeklyHours: WeeklyHours): WeekEntry {
  const cached = weekCache.get(weeklyHours);
  if (cached !== undefined && weekEntryIsCurrent(cached, weeklyHours)) return cached;
  const entry = compileWeek(weeklyHours);
  weekCache.set(weeklyHours, entry);
  return entry;
}

// A store reads settings afresh in every transaction: new objects, the same content. So
// compiled schedules are also kept by content, and a hit skips both the compilation and the
// per-object caches (whose entries would only pile up for objects seen once). Compiled
// schedules are shared and only ever read.
const schedulesByContent = new Map<string, CompiledSchedule>();
const SCHEDULES_BY_CONTENT_LIMIT = 1024;

/**
 * The time zone, week and holidays of settings as one string, or `null` for a shape the
 * compilation must look at (and reject).
 */
function scheduleContentKey(settings: ScheduleSettings): string | null {
  const { timeZone, weeklyHours, holidays } = settings;
  if (typeof timeZone !== 'string' || typeof weeklyHours !== 'object' || weeklyHours === null || !Array.isArray(holidays)) return null;
  let key = timeZone;
  for (const weekday of WEEKDAYS) {
    const ranges = weeklyHours[weekday] as unknown;
    if (!Array.isArray(ranges)) return null;
    key += '|';
    for (const range of ranges as ({ from?: unknown; to?: unknown } | null)[]) {
      if (typeof range?.from !== 'string' || typeof range.to !== 'string') return null;
      key += `${range.from}-${range.to},`;
    }
  }
  key += '|';
  for (const holiday of holidays as ({ start?: unknown; end?: unknown } | null)[]) {
    if (typeof holiday?.start !== 'string' || typeof holiday.end !== 'string') return null;
    key += `${holiday.start}/${holiday.end},`;
  }
  return key;
}

function entryLists(weeklyHours: WeeklyHours): Omit<WeekEntry, 'table'> {
  return {
    mon: weeklyHours.mon,
    tue: weeklyHours.tue,
    wed: weeklyHours.wed,
    thu: weeklyHours.thu,
    fri: weeklyHours.fri,
    sat: weeklyHours.sat,
    sun: weeklyHours.sun,
    lengths: WEEKDAYS.map((day) => weeklyHours[day].length),
  };
}

function compileWeek(weeklyHours: WeeklyHours): WeekEntry {
  const open = new Uint8Array(MINUTES_PER_WEEK);
  WEEKDAYS.forEach((weekday, dayIndex) => {
    const ranges = weeklyHours[weekday] as unknown;
    if (!Array.isArray(ranges)) throw new RangeError(`weeklyHours.${weekday}: must be a list of ranges`);
    ranges.forEach((range: { from?: unknown; to?: unknown } | null, rangeIndex) => {
      const from = typeof range?.from === 'string' ? wallTimeMinutes(range.from) : undefined;
      const to = typeof range?.to === 'string' ? wallTimeMinutes(range.to) : undefined;
      if (from === undefined || to === undefined || from >= to || from === MINUTES_PER_DAY) {
        throw new RangeError(`weeklyHours.${weekday}.${rangeIndex}: not a valid range ${JSON.stringify(range)}`);
      }
      open.fill(1, dayIndex * MINUTES_PER_DAY + from, dayIndex * MINUTES_PER_DAY + to);
    });
  });
  const changes: number[] = [];
  for (let minute = 0; minute < MINUTES_PER_WEEK; minute++) {
    const before = open[minute === 0 ? MINUTES_PER_WEEK - 1 : minute - 1];
    if (open[minute] !== before) changes.push(minute);
  }
  return { ...entryLists(weeklyHours), table: { open, changes: Int32Array.from(changes) } };
}

function mergeHolidays(holidays: readonly Holiday[]): { starts: number[]; ends: number[] } {
  if (!Array.isArray(holidays)) throw new RangeError('holidays: must be a list');
  const ranges = holidays.map((holiday, index) => {
    const start = typeof holiday?.start === 'string' ? civilDayNumber(holiday.start) : undefined;
    const end = typeof holiday?.end === 'string' ? civilDayNumber(holiday.end) : undefined;
    if (start === undefined || end === undefined || end < start) {
      throw new RangeError(`holidays.${index}: not a valid holiday ${JSON.stringify(holiday)}`);
    }
    return { start, end };
  });
  ranges.sort((a, b) => a.start - b.start);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const range of ranges) {
    const last = ends.length - 1;
    // Adjacent holidays (Dec 24–25 then Dec 26) make one stretch: no change at their midnight.
    if (last >= 0 && range.start <= (ends[last] as number) + 1) {
      ends[last] = Math.max(ends[last] as number, range.end);
    } else {
      starts.push(range.start);
      ends.push(range.end);
    }
  }
  return { starts, ends };
}

/**
 * The index of the merged holiday containing day number `day`, or -1.
 *
 * @example
 * ```ts
 * holidayIndexAt(schedule, Date.UTC(2026, 11, 25) / 86_400_000); // → 0 when Dec 24–26 is the first holiday
 * ```
 */
export function holidayIndexAt(schedule: CompiledSchedule, day: number): number {
  const index = lastStartAtOrBefore(schedule.holidayStarts, day);
  return index >= 0 && (schedule.holidayEnds[index] as number) >= day ? index : -1;
}

/** The index of the last start ≤ `day` in an ascending list, or -1. */
function lastStartAtOrBefore(starts: readonly number[], day: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] as number) <= day) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/**
 * The availability at a local time (ms; local midnight of day `d` is `d * DAY_MS`).
 *
 * @example
 * ```ts
 * stateAtLocal(compiledSchedule(defaultSettings('UTC')), Date.UTC(2026, 0, 5, 10)); // → 'open' (Mon 10:00)
 * ```
 */
export function stateAtLocal(schedule: CompiledSchedule, local: number): AvailabilityState {
  if (schedule.holidayStarts.length > 0 && holidayIndexAt(schedule, Math.floor(local / DAY_MS)) >= 0) return 'holiday';
  return weekStateAt(schedule.week, local);
}

/**
 * The state the week alone gives a local time (ms), holidays aside.
 *
 * @example
 * ```ts
 * weekStateAt(compiledSchedule(defaultSettings('UTC')).week, Date.UTC(2026, 0, 3, 10)); // → 'away' (Sat 10:00)
 * ```
 */
export function weekStateAt(week: WeekTable, local: number): 'open' | 'away' {
  return week.open[Math.floor(weekPosition(local) / MINUTE_MS)] === 1 ? 'open' : 'away';
}

/** Milliseconds since the Monday 00:00 before a local time. */
function weekPosition(local: number): number {
  // Not `%`: on numbers beyond 31 bits V8 computes it with a slow fmod; division and floor are fast.
  const shifted = local + MONDAY_SHIFT_DAYS * DAY_MS;
  return shifted - Math.floor(shifted / WEEK_MS) * WEEK_MS;
}

/**
 * The state from a local change found by {@link nextLocalChange} on, without a full lookup: after
 * a holiday the week decides; otherwise a holiday begins there, or the week flips.
 *
 * @example
 * ```ts
 * stateAfterLocalChange(schedule, Date.UTC(2026, 0, 5, 18), 'open'); // → 'away'
 * ```
 */
export function stateAfterLocalChange(schedule: CompiledSchedule, boundary: number, from: AvailabilityState): AvailabilityState {
  if (from === 'holiday') return weekStateAt(schedule.week, boundary);
  // Holidays begin at local midnight; only then is a lookup needed.
  const day = boundary / DAY_MS;
  if (day === Math.floor(day) && holidayIndexAt(schedule, day) >= 0) return 'holiday';
  return from === 'open' ? 'away' : 'open';
}

/**
 * The first local time after `local` at which the state differs from `state` (the state at
 * `local`), ignoring offset changes: the end of the current holiday, or the earlier of the next
 * holiday's first midnight and the next change point of the week. `Infinity` when none.
 *
 * @example
 * ```ts
 * nextLocalChange(schedule, Date.UTC(2026, 0, 5, 10), 'open'); // → Date.UTC(2026, 0, 5, 18) for Mon 09:00–18:00
 * ```
 */
export function nextLocalChange(schedule: CompiledSchedule, local: number, state: AvailabilityState): number {
  const day = Math.floor(local / DAY_MS);
  const starts = schedule.holidayStarts;
  if (state === 'holiday') {
    // Merged holidays end on a day that is not a holiday: the state changes at the next midnight.
    return ((schedule.holidayEnds[lastStartAtOrBefore(starts, day)] as number) + 1) * DAY_MS;
  }
  const nextHoliday = lastStartAtOrBefore(starts, day) + 1;
  const holidayStart = nextHoliday < starts.length ? (starts[nextHoliday] as number) * DAY_MS : Infinity;
  return Math.min(holidayStart, nextWeekChange(schedule.week, local));
}

/** The first change point of the week strictly after `local`, or `Infinity` for a constant week. */
function nextWeekChange(week: WeekTable, local: number): number {
  const changes = week.changes;
  if (changes.length === 0) return Infinity;
  const position = weekPosition(local);
  const weekStart = local - position;
  // First change minute m with m * MINUTE_MS > position.
  let low = 0;
  let high = changes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((changes[middle] as number) * MINUTE_MS <= position) low = middle + 1;
    else high = middle;
  }
  return low < changes.length
    ? weekStart + (changes[low] as number) * MINUTE_MS
    : weekStart + WEEK_MS + (changes[0] as number) * MINUTE_MS;
}

/**
 * The local time at which the current stretch of `state` began, looking only at holidays:
 * the first midnight of the current holiday, or the midnight after the previous holiday
 * (`-Infinity` when none). Used only when the week itself never changes.
 *
 * @example
 * ```ts
 * previousHolidayBoundary(schedule, local, 'away'); // → midnight after the last holiday before `local`
 * ```
 */
export function previousHolidayBoundary(schedule: CompiledSchedule, local: number, state: AvailabilityState): number {
  const index = lastStartAtOrBefore(schedule.holidayStarts, Math.floor(local / DAY_MS));
  if (index < 0) return -Infinity;
  if (state === 'holiday') return (schedule.holidayStarts[index] as number) * DAY_MS;
  return ((schedule.holidayEnds[index] as number) + 1) * DAY_MS;
}

/**
 * The local midnight after the last holiday, or `-Infinity` without holidays.
 *
 * @example
 * ```ts
 * lastHolidayEnd(schedule); // → local midnight after the last holiday ends
 * ```
 */
export function lastHolidayEnd(schedule: CompiledSchedule): number {
  const count = schedule.holidayEnds.length;
  return count === 0 ? -Infinity : ((schedule.holidayEnds[count - 1] as number) + 1) * DAY_MS;
}

/**
 * The milliseconds since the epoch of a valid `Date`.
 *
 * @throws RangeError for an invalid `Date` (`new Date('nope')`).
 *
 * @example
 * ```ts
 * instantOf(new Date('2026-01-01T00:00:00Z')); // → 1_767_225_600_000
 * ```
 */
export function instantOf(at: Date): number {
  const time = at instanceof Date ? at.getTime() : foreignTime(at);
  if (time !== time) throw new RangeError('expected a valid Date'); // NaN
  return time;
}

/** The time of a Date from another realm (an iframe, a vm context); NaN for anything else. */
function foreignTime(value: unknown): number {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return Number.NaN;
  }
}

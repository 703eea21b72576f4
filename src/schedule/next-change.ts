/**
 * When an account's availability next changes (R21).
 *
 * @module
 */
import { DAY_MS } from '../internal/durations.js';
import {
  compiledSchedule,
  instantOf,
  lastHolidayEnd,
  nextLocalChange,
  previousHolidayBoundary,
  stateAfterLocalChange,
  stateAtLocal,
} from './compiled-schedule.js';
import type { ScheduleSettings, AvailabilityState } from './schedule-types.js';

/**
 * What {@link nextChange} answers: the instant of the change and the state from then on.
 *
 * @example
 * ```ts
 * const change: AvailabilityChange | null = nextChange(settings, new Date());
 * if (change) console.log(`${change.state} from ${change.at.toISOString()}`);
 * ```
 *
 * @category Schedule
 */
export type AvailabilityChange = { at: Date; state: AvailabilityState };

/** The range of a JavaScript `Date`. */
const MAX_TIME_MS = 8.64e15;
/** More than any UTC offset ever in force (local mean times of the 1800s stay under 16 hours). */
const OFFSET_BOUND_MS = 2 * DAY_MS;
/** A change far enough ahead to jump towards instead of walking offset segments. */
const SKIP_MIN_MS = 3 * OFFSET_BOUND_MS;
/**
 * How far past the last holiday to look before answering `null`. After it only the week can
 * change, at most a week apart; two weeks leave room for a range lost in a daylight-saving gap.
 */
const LOOKAHEAD_MS = 15 * DAY_MS;

/**
 * The first instant strictly after `at` at which {@link availability} differs from its value at
 * `at`, with the new state; `null` when it never changes again (a week that is always closed or
 * always open, with no holiday ahead).
 *
 * Exact to the millisecond, across daylight-saving changes: the answer `c` satisfies
 * `availability(settings, c.at) === c.state` and `availability` is constant on `[at, c.at)`.
 * Open ranges that touch (Mon 22:00–24:00 and Tue 00:00–02:00) and adjacent holidays are one
 * stretch: no change where they meet. When a range boundary falls in a spring-forward gap the
 * change happens at the gap; a fall-back hour inside a range is open both times.
 *
 * Works on local time (the instant plus the zone offset), one stretch of constant offset at a
 * time: within a stretch the next change is the next range boundary, holiday boundary or week
 * change point; at each offset change the state is checked anew. Long unchanging stretches
 * (holidays, closed weeks) are jumped over, so the cost does not grow with the distance.
 *
 * @throws RangeError for an invalid `Date` or settings that never passed validation.
 *
 * @example
 * ```ts
 * const settings = defaultSettings('America/New_York'); // Mon–Fri 09:00–18:00
 * nextChange(settings, new Date('2026-03-06T23:30:00Z')); // Fri 18:30 local
 * // → { at: 2026-03-09T13:00:00.000Z, state: 'open' } (Mon 09:00 EDT, after the spring-forward Sunday)
 * nextChange({ ...settings, weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } },
 *   new Date()); // → null
 * ```
 *
 * @category Schedule
 */
export function nextChange(settings: ScheduleSettings, at: Date): AvailabilityChange | null {
  const schedule = compiledSchedule(settings);
  const start = instantOf(at);
  const offsets = schedule.offsets;
  let instant = start;
  let offset = offsets.offsetAt(instant);
  let segmentEnd = offsets.segmentEnd;
  let local = instant + offset;
  const from = stateAtLocal(schedule, local);
  let horizon = Number.NaN; // computed on first use: most answers come from the first stretch
  for (;;) {
    // Invariant: the state is `from` on [start, instant], and the offset is `offset` on
    // [instant, segmentEnd).
    const boundary = nextLocalChange(schedule, local, from);
    if (boundary < segmentEnd + offset) return changeAt(boundary - offset, stateAfterLocalChange(schedule, boundary, from));
    if (
      boundary - local > SKIP_MIN_MS &&
      (from === 'holiday' || schedule.week.changes.length === 0) &&
      instant - OFFSET_BOUND_MS > previousHolidayBoundary(schedule, local, from)
    ) {
      // The state is `from` at every local time between the previous holiday boundary and
      // `boundary`, and an instant's local time is within OFFSET_BOUND_MS of it: every instant up
      // to boundary - OFFSET_BOUND_MS keeps `from`, whatever the offsets do in between.
      if (boundary === Infinity) return null;
      instant = boundary - OFFSET_BOUND_MS;
    } else {
      instant = segmentEnd;
      if (Number.isNaN(horizon)) horizon = Math.max(start, lastHolidayEnd(schedule) + OFFSET_BOUND_MS) + LOOKAHEAD_MS;
      if (instant > horizon || instant > MAX_TIME_MS) return null;
    }
    offset = offsets.offsetAt(instant);
    segmentEnd = offsets.segmentEnd;
    local = instant + offset;
    // An offset change moves the local time at once (forward over a gap, back over a repeated
    // hour), so the state may change right here.
    const state = stateAtLocal(schedule, local);
    if (state !== from) return changeAt(instant, state);
  }
}

function changeAt(time: number, state: AvailabilityState): AvailabilityChange | null {
  return time > MAX_TIME_MS ? null : { at: new Date(time), state };
}

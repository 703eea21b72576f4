import { zoneOffsets } from '../schedule/zone-offsets.js';
import { MINUTE_MS } from '../internal/durations.js';

/** The range of a JavaScript `Date`, either side of 1970. */
const MAX_TIME_MS = 8.64e15;
/** The last instant of year 9999 and the first of year 0000 (UTC wall clock), the range RFC 3339 can write. */
const LAST_FOUR_DIGIT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An instant as ISO 8601 local time with its UTC offset in a time zone, to the millisecond:
 * the `sent_at` cell of a history backup (R26). The offset is always numeric (`+00:00`, never
 * `Z`), so every row of the file reads the same way.
 *
 * Offsets come from the runtime's zone data through `@date-fns/tz` (via the shared
 * {@link zoneOffsets} cache, which costs O(1) an instant instead of ~2 µs for `Intl`).
 *
 * Never throws (R48: a backup never fails on a stored time). Times that R48 lets in
 * (1970–9999) always come out as above, in RFC 3339: one whose local date would be in year
 * 10000 (the last hours of 9999 in a zone ahead of UTC) is written in UTC with `+00:00`. Anything else still gives a string: a local time past
 * the range of `Date`, or in a zone the runtime does not know, is written in UTC with `+00:00`
 * (the instant stays exact); a year outside 0000–9999 is written the ISO 8601 expanded way
 * (`+275760-09-13T00:00:00.000+00:00`); an invalid `Date` is written `invalid date`.
 *
 * @example
 * ```ts
 * formatSentAt(new Date('2026-11-25T09:30:00Z'), 'Asia/Seoul');       // '2026-11-25T18:30:00.000+09:00'
 * formatSentAt(new Date('2026-07-01T16:00:00Z'), 'America/New_York'); // '2026-07-01T12:00:00.000-04:00'
 * ```
 */
export function formatSentAt(sentAt: Date, timeZone: string): string {
  const time = sentAt.getTime();
  if (!Number.isFinite(time) || Math.abs(time) > MAX_TIME_MS) return 'invalid date';
  // Whole minutes: the local mean times of old dates have second offsets ISO 8601 cannot write,
  // and the local time printed must agree with the offset printed.
  let offsetMinutes = Math.round(offsetAt(time, timeZone) / MINUTE_MS);
  if (!Number.isFinite(offsetMinutes) || Math.abs(time + offsetMinutes * MINUTE_MS) > MAX_TIME_MS) offsetMinutes = 0;
  // A time R48 lets in whose local date would pass year 9999 (9999-12-31 late UTC, in a zone
  // ahead of UTC) is written in UTC instead: the file stays RFC 3339 for spreadsheets.
  const localTime = time + offsetMinutes * MINUTE_MS;
  if (time <= LAST_FOUR_DIGIT_MS && localTime > LAST_FOUR_DIGIT_MS) offsetMinutes = 0;
  const local = new Date(time + offsetMinutes * MINUTE_MS).toISOString(); // 'YYYY-MM-DDTHH:mm:ss.sssZ'
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${local.slice(0, -1)}${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
}

/** The zone's offset at `time` in ms; 0 for a zone the runtime does not know. */
function offsetAt(time: number, timeZone: string): number {
  try {
    return zoneOffsets(timeZone).offsetAt(time);
  } catch {
    return 0;
  }
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

import { zoneOffsets } from '../schedule/zone-offsets.js';

const MINUTE_MS = 60_000;

/**
 * An instant as ISO 8601 local time with its UTC offset in a time zone, to the millisecond:
 * the `sent_at` cell of a history backup (R26). The offset is always numeric (`+00:00`, never
 * `Z`), so every row of the file reads the same way.
 *
 * Offsets come from the runtime's zone data through `@date-fns/tz` (via the shared
 * {@link zoneOffsets} cache, which costs O(1) an instant instead of ~2 µs for `Intl`).
 *
 * @throws RangeError for a time zone the runtime does not know (account zones are checked when set).
 *
 * @example
 * ```ts
 * formatSentAt(new Date('2026-11-25T09:30:00Z'), 'Asia/Seoul');       // '2026-11-25T18:30:00.000+09:00'
 * formatSentAt(new Date('2026-07-01T16:00:00Z'), 'America/New_York'); // '2026-07-01T12:00:00.000-04:00'
 * ```
 */
export function formatSentAt(sentAt: Date, timeZone: string): string {
  const time = sentAt.getTime();
  // Whole minutes: the local mean times of old dates have second offsets ISO 8601 cannot write,
  // and the local time printed must agree with the offset printed.
  const offsetMinutes = Math.round(zoneOffsets(timeZone).offsetAt(time) / MINUTE_MS);
  const local = new Date(time + offsetMinutes * MINUTE_MS).toISOString(); // 'YYYY-MM-DDTHH:mm:ss.sssZ'
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${local.slice(0, -1)}${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Wall-clock times of day written `'HH:mm'`, from `'00:00'` to `'24:00'` (the end of the day).
 *
 * @module
 */

/**
 * Minutes in a day; also the minute of `'24:00'`.
 *
 * @example
 * ```ts
 * wallTimeMinutes('24:00') === MINUTES_PER_DAY; // → true
 * ```
 */
export const MINUTES_PER_DAY = 1440;

const WALL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/**
 * The minute of the day of a wall time `'HH:mm'` (`'24:00'` is 1440), or `undefined` when the
 * text is not one (`'25:00'`, `'9:00'`, `'09:00:30'`, `'24:01'`).
 *
 * @example
 * ```ts
 * wallTimeMinutes('09:30'); // → 570
 * wallTimeMinutes('24:00'); // → 1440
 * wallTimeMinutes('25:00'); // → undefined
 * ```
 */
export function wallTimeMinutes(text: string): number | undefined {
  const match = WALL_TIME.exec(text);
  if (!match) return undefined;
  if (match[3] !== undefined) return MINUTES_PER_DAY;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Writes a minute of the day (0–1440) as `'HH:mm'`.
 *
 * @example
 * ```ts
 * formatWallTime(570);  // → '09:30'
 * formatWallTime(1440); // → '24:00'
 * ```
 */
export function formatWallTime(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours < 10 ? '0' : ''}${hours}:${rest < 10 ? '0' : ''}${rest}`;
}

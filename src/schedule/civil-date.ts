/**
 * Civil dates (`'YYYY-MM-DD'`, no time zone) and their day numbers: whole days counted from
 * 1970-01-01, so that comparing and stepping dates is integer arithmetic.
 *
 * @module
 */
import { DAY_MS } from '../internal/durations.js';


const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The day number (days since 1970-01-01) of a real calendar date written `'YYYY-MM-DD'`,
 * or `undefined` when the text is not one (`'2026-02-30'`, `'2026-2-3'`, `'2026-02-03T00:00'`).
 *
 * @example
 * ```ts
 * civilDayNumber('1970-01-02'); // → 1
 * civilDayNumber('2026-02-30'); // → undefined
 * ```
 */
export function civilDayNumber(text: string): number | undefined {
  const match = CIVIL_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map the years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day past the end of its month rolls over into the next month: not a real date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Math.round(date.getTime() / DAY_MS);
}

/**
 * Writes a day number (days since 1970-01-01) as `'YYYY-MM-DD'`.
 *
 * @example
 * ```ts
 * formatCivilDate(0);     // → '1970-01-01'
 * formatCivilDate(20_811); // → '2026-12-24'
 * ```
 */
export function formatCivilDate(dayNumber: number): string {
  const date = new Date(dayNumber * DAY_MS);
  const year = date.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${yearText}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

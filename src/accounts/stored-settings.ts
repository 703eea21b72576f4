import * as z from 'zod';
import type { AccountSettings, Holiday, TimeRange, WeeklyHours } from '../schedule/schedule-types.js';
import { isPlainObject } from '../internal/value-kinds.js';

const range = z.object({ from: z.string(), to: z.string() });
const day = z.array(range);

/**
 * Settings as a store keeps them, from any release: fields added after a row was written
 * read with their defaults (`channels` came in the second release), so old rows need no
 * data migration. Unknown fields are dropped.
 */
const storedSettingsSchema = z.object({
  timeZone: z.string(),
  weeklyHours: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  welcomeMessage: z.string().default(''),
  awayMessage: z.string().default(''),
  holidayMessage: z.string().default(''),
  holidays: z
    .array(z.object({ id: z.string(), start: z.string(), end: z.string(), label: z.string().optional() }))
    .default([]),
  channels: z.object({ line: z.boolean().default(true), mail: z.boolean().default(true) }).default({ line: true, mail: true }),
});

/**
 * Reads stored settings with the defaults of fields they predate. Settings that do not parse
 * at all (a store that lost data) are answered as stored, for the caller to see.
 *
 * Every account read goes through here, so settings already in today's exact shape (every
 * field present, nothing unknown: what this release writes) are copied by hand; anything
 * else goes through the schema. Both give the same value for such settings (a test compares
 * them), and neither answers the caller's object or shares its arrays.
 */
export function readStoredSettings(stored: AccountSettings): AccountSettings {
  return copyIfCurrent(stored) ?? readThroughSchema(stored);
}

/** {@link readStoredSettings} by the schema alone, whatever the shape (exported for a test that compares the two). */
export function readThroughSchema(stored: AccountSettings): AccountSettings {
  const parsed = storedSettingsSchema.safeParse(stored);
  if (!parsed.success) return stored;
  const { holidays, ...rest } = parsed.data;
  // `label` stays absent rather than `undefined` (exact optional properties).
  return { ...rest, holidays: holidays.map(({ label, ...holiday }) => (label === undefined ? holiday : { ...holiday, label })) };
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const SETTINGS_KEYS = 7;


/** A copy of settings in today's exact shape, or `null` when they are not (the schema decides then). */
function copyIfCurrent(stored: unknown): AccountSettings | null {
  if (!isPlainObject(stored) || Object.keys(stored).length !== SETTINGS_KEYS) return null;
  const { timeZone, weeklyHours, welcomeMessage, awayMessage, holidayMessage, holidays, channels } = stored;
  if (typeof timeZone !== 'string' || typeof welcomeMessage !== 'string' || typeof awayMessage !== 'string' || typeof holidayMessage !== 'string') {
    return null;
  }
  const hours = copyWeeklyHours(weeklyHours);
  const days = copyHolidays(holidays);
  if (hours === null || days === null || !isPlainObject(channels) || Object.keys(channels).length !== 2) return null;
  const { line, mail } = channels;
  if (typeof line !== 'boolean' || typeof mail !== 'boolean') return null;
  return { timeZone, weeklyHours: hours, welcomeMessage, awayMessage, holidayMessage, holidays: days, channels: { line, mail } };
}

function copyWeeklyHours(value: unknown): WeeklyHours | null {
  if (!isPlainObject(value) || Object.keys(value).length !== WEEKDAYS.length) return null;
  const copy = {} as WeeklyHours;
  for (const weekday of WEEKDAYS) {
    const ranges = value[weekday];
    if (!Array.isArray(ranges)) return null;
    const copied: TimeRange[] = [];
    for (const range of ranges as unknown[]) {
      if (!isPlainObject(range) || Object.keys(range).length !== 2) return null;
      const { from, to } = range;
      if (typeof from !== 'string' || typeof to !== 'string') return null;
      copied.push({ from, to });
    }
    copy[weekday] = copied;
  }
  return copy;
}

function copyHolidays(value: unknown): Holiday[] | null {
  if (!Array.isArray(value)) return null;
  const copied: Holiday[] = [];
  for (const holiday of value as unknown[]) {
    if (!isPlainObject(holiday)) return null;
    const { id, start, end, label } = holiday;
    const keys = Object.keys(holiday).length;
    if (typeof id !== 'string' || typeof start !== 'string' || typeof end !== 'string') return null;
    if (label === undefined) {
      if (keys !== 3) return null;
      copied.push({ id, start, end });
    } else {
      if (typeof label !== 'string' || keys !== 4) return null;
      copied.push({ id, start, end, label });
    }
  }
  return copied;
}

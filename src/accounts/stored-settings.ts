import * as z from 'zod';
import type { AccountSettings } from '../schedule/schedule-types.js';

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
 * Every account read comes through here, through the schema alone: the answer is a fresh
 * copy that shares no object or array with what the store holds, and a holiday without a
 * label stays without one (zod 4 keeps an absent optional key absent). With zod's JIT on (its
 * default) the parse of today's shape costs about what a hand-written copy did
 * (test/bench/validation.bench.ts).
 *
 * @example
 * ```ts
 * // A row of the first release: no `channels` yet.
 * const row = '{"timeZone":"UTC","weeklyHours":{"mon":[],"tue":[],"wed":[],"thu":[],"fri":[],"sat":[],"sun":[]},' +
 *   '"welcomeMessage":"","awayMessage":"","holidayMessage":"","holidays":[]}';
 * readStoredSettings(JSON.parse(row)).channels; // { line: true, mail: true }
 * ```
 */
export function readStoredSettings(stored: AccountSettings): AccountSettings {
  const parsed = storedSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : stored;
}

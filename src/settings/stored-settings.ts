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
 */
export function readStoredSettings(stored: AccountSettings): AccountSettings {
  const parsed = storedSettingsSchema.safeParse(stored);
  if (!parsed.success) return stored;
  const { holidays, ...rest } = parsed.data;
  // `label` stays absent rather than `undefined` (exact optional properties).
  return { ...rest, holidays: holidays.map(({ label, ...holiday }) => (label === undefined ? holiday : { ...holiday, label })) };
}

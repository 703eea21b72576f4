/**
 * IANA time zone names (R18): which ones an account may use.
 *
 * @module
 */
import * as z from 'zod';
import { typeName } from '../internal/value-kinds.js';
import { timeZoneProblem } from './time-zone-names.js';

// The name checks live in a zod-free module, so `isValidTimeZone` costs a bundle no schema library.
export { isValidTimeZone, timeZoneProblem } from './time-zone-names.js';

/**
 * A time zone for an account: an IANA name the runtime knows, in its canonical case (see
 * {@link timeZoneProblem}). The issue message reads `unknown time zone 'Mars/Base'`.
 *
 * @example
 * ```ts
 * timeZoneSchema.parse('Asia/Seoul'); // → 'Asia/Seoul'
 * timeZoneSchema.safeParse('Mars/Base').error?.issues[0]?.message; // → "unknown time zone 'Mars/Base'"
 * ```
 */
export const timeZoneSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'required' : `must be an IANA time zone name such as 'Asia/Seoul', got ${typeName(issue.input)}`,
  })
  .superRefine((name, ctx) => {
    const problem = timeZoneProblem(name);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

import * as z from 'zod';

/** The earliest time a message may carry (R48): 1970-01-01T00:00:00.000Z. */
export const MIN_MESSAGE_TIME_MS = 0;

/** The latest time a message may carry (R48): 9999-12-31T23:59:59.999Z. */
export const MAX_MESSAGE_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const RANGE = '1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z';

/**
 * The time of a message (`at` of `receiveMessage` and `sendMessage`, R48): a valid `Date`
 * between {@link MIN_MESSAGE_TIME_MS} and {@link MAX_MESSAGE_TIME_MS}, inclusive. Every store
 * keeps such an instant, and every backup can write it as a four-digit-year ISO 8601 time:
 * `new Date(8.64e15)`, the last instant a `Date` holds, would otherwise be stored and then
 * break every later backup of the domain.
 *
 * The issue message names the field when used as a top-level value through
 * `parseInput(messageTimeSchema, at, 'at')`, or by its key inside an object schema.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 *
 * messageTimeSchema.parse(new Date('2026-11-25T09:30:00Z'));      // the same Date
 * messageTimeSchema.safeParse(new Date(8.64e15)).success;          // false
 * const receive = z.strictObject({ content: z.string(), at: messageTimeSchema.optional() });
 * ```
 */
export const messageTimeSchema = z.custom<Date>().check((ctx) => {
  const problem = messageTimeProblem(ctx.value);
  if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/** What is wrong with a message time, or `null`. Never throws, whatever it is given. */
export function messageTimeProblem(value: unknown): string | null {
  let time: number;
  try {
    if (!(value instanceof Date)) return `must be a Date between ${RANGE}, got ${value === null ? 'null' : typeof value}`;
    time = Date.prototype.getTime.call(value);
  } catch {
    return `must be a Date between ${RANGE}, got an unreadable value`;
  }
  if (Number.isNaN(time)) return `must be a valid Date between ${RANGE}, got an invalid Date`;
  if (time < MIN_MESSAGE_TIME_MS || time > MAX_MESSAGE_TIME_MS) {
    return `must lie between ${RANGE}, got ${time < MIN_MESSAGE_TIME_MS ? 'an earlier' : 'a later'} time (${time} ms since 1970)`;
  }
  return null;
}

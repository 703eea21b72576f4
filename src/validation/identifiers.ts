import * as z from 'zod';
import { codePointLabel } from './invisible-characters.js';
import { typeName } from '../internal/value-kinds.js';

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `${what} is required` : `must be a string (${what}), got ${typeName(issue.input)}`;

// Unicode category Cc: C0 controls, DEL and C1 controls. NUL is refused by PostgreSQL text
// columns (a store_failure otherwise), and none of them belongs in an id.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * An opaque identifier chosen by the host (domain, member, customer, product, bot, holiday,
 * message, backup job): 1 to `max` characters, well-formed text (a lone surrogate would be
 * stored as U+FFFD and match another id), no control characters (R27, R48). Never rewritten:
 * no trimming, no normalisation.
 *
 * @example
 * ```ts
 * const ticketId = opaqueId('ticketId', 64);
 * ticketId.safeParse('q\u0000').success; // false: 'must not contain control characters (U+0000)'
 * ```
 */
export function opaqueId(what: string, max = 128) {
  return z.string({ error: required(what) }).check((ctx) => {
    const value = ctx.value;
    const problem = opaqueIdProblem(value, max);
    if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: value });
  });
}

/** What is wrong with an opaque id, or `null`. */
function opaqueIdProblem(value: string, max: number): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > max) return `at most ${max} characters, got ${value.length}`;
  if (!value.isWellFormed()) return 'holds a lone surrogate, which is not valid text';
  const control = CONTROL_CHARACTER.exec(value);
  if (control) return `must not contain control characters (${codePointLabel(control[0])})`;
  return null;
}

/**
 * The pattern of an account ID (R6): a lowercase ASCII letter or a digit, then up to 19 ASCII
 * letters (either case) and digits.
 */
export const ACCOUNT_ID_PATTERN = /^[a-z0-9][A-Za-z0-9]{0,19}$/;

/**
 * The account ID of R6: 1–20 ASCII letters and digits, starting with a lowercase letter or a
 * digit; anything else is refused, never rewritten.
 *
 * @example
 * ```ts
 * accountIdSchema.parse('helpDesk2');        // 'helpDesk2'
 * accountIdSchema.safeParse('Help').success; // false: must start with a lowercase letter or a digit
 * ```
 */
export const accountIdSchema = z.string({ error: required('account ID') }).refine((value) => ACCOUNT_ID_PATTERN.test(value), {
  error: (issue) => accountIdProblem(issue.input as string),
});

function accountIdProblem(value: string): string {
  const shown = JSON.stringify(value.slice(0, 40));
  if (value.length === 0) return 'must not be empty';
  if (value.length > 20) return `at most 20 characters, got ${value.length}`;
  if (!/^[a-z0-9]/.test(value)) {
    return `must start with a lowercase letter a-z or a digit 0-9, got ${shown}`;
  }
  return `only letters A-Z, a-z and digits 0-9 are allowed (no spaces or special characters), got ${shown}`;
}

/** A domain (tenant) id: 1–128 characters. */
export const domainIdSchema = opaqueId('domain id');
/** A member id of the host's directory: 1–128 characters. */
export const memberIdSchema = opaqueId('member id');
/** A product id (R1): 1–64 characters. */
export const productIdSchema = opaqueId('productId', 64);
/** A customer id (R22): 1–128 characters. */
export const customerIdSchema = opaqueId('customerId');
/** A bot id (R38): 1–64 characters. */
export const botIdSchema = opaqueId('botId', 64);
/** A holiday id (R20), as `holidays.remove` and `settings.update` take it: 1–64 characters. */
export const holidayIdSchema = opaqueId('holidayId', 64);
/** A backup job id (R25): 1–128 characters. */
export const backupJobIdSchema = opaqueId('jobId');
/** A room id: 1–128 characters. */
export const roomIdSchema = opaqueId('roomId');
/** The transport's own message id (R47): 1–200 characters. */
export const messageIdSchema = opaqueId('messageId', 200);
/** Who acts, for `cx.as(actor)` (R33): 1–200 characters, e.g. `'admin:u1'`. */
export const actorSchema = opaqueId('actor', 200);

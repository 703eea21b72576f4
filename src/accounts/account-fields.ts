import * as z from 'zod';
import { textField } from '../validation/text-fields.js';
import { UNDECIDED, withFastCheck } from '../validation/parse-input.js';

/** Most characters in one text field before counting graphemes: bounds the work on huge input. */
const CODE_UNIT_CAP = 64;

/**
 * An account name (R5, R48): trimmed, 1–20 user-perceived characters; no control characters,
 * no format characters (zero-width spaces, bidirectional overrides, soft hyphens, U+FEFF; the
 * joiners inside emoji such as `👨‍👩‍👧` are kept), no line or paragraph separators, and not
 * blank to the eye (only fillers such as U+3164 or U+2800, or combining marks alone).
 *
 * @example
 * ```ts
 * accountNameSchema.parse('  상담 Help ');       // '상담 Help'
 * accountNameSchema.safeParse('Help\u200B').success; // false: 'must not contain invisible format characters (U+200B)'
 * ```
 */
export const accountNameSchema = textField({ min: 1, max: 20, trim: true, shape: 'name', codeUnitCap: 20 * CODE_UNIT_CAP });

/**
 * An account description (R7, R48): at most 100 user-perceived characters; line breaks
 * allowed, bidirectional embeddings, overrides and isolates refused; `null` clears it.
 */
export const descriptionSchema = textField({ min: 0, max: 100, trim: true, shape: 'prose', codeUnitCap: 100 * CODE_UNIT_CAP })
  .transform((value) => (value === '' ? null : value))
  .nullable();

/**
 * The key under which names are unique in a domain (R5): Unicode NFKC, then lower case,
 * so `Help` and `ｈｅｌｐ` collide.
 */
export function accountNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** The optional `expectedVersion` of an update (R12). */
export const versionOptionsSchema = withFastCheck(z.strictObject({ expectedVersion: z.number().int().min(1).optional() }).optional(), (input) =>
  input === undefined ? undefined : UNDECIDED,
);

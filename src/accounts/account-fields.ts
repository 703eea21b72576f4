import * as z from 'zod';
import { withoutIgnorables } from '../validation/invisible-characters.js';
import { textField } from '../validation/text-fields.js';

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
 * The key under which names are unique in a domain (R5, R48): without the code points that
 * show nothing by themselves (default-ignorable ones such as variation selectors, and fillers),
 * Unicode NFKC, then lower case, so `Help`, `ｈｅｌｐ`, `Help` + U+FE0F and `Help` + U+3164
 * collide. The SQL stores keep this key; migration `0005_message_directions` holds a frozen
 * copy of it and recomputed the keys stored before.
 */
export function accountNameKey(name: string): string {
  // Removed before and after NFKC: a removed U+034F may let marks compose; NFKC maps U+FFA0 to U+3164.
  return withoutIgnorables(withoutIgnorables(name).normalize('NFKC')).toLowerCase();
}

/** The optional `expectedVersion` of an update (R12). */
export const versionOptionsSchema = z.strictObject({ expectedVersion: z.number().int().min(1).optional() }).optional();

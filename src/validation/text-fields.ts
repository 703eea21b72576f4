import * as z from 'zod';
import { graphemeLength, hasLoneSurrogate } from './graphemes.js';
import { codePointLabel, nameInvisibleProblem, proseInvisibleProblem } from './invisible-characters.js';
import { typeName } from '../internal/value-kinds.js';

// C0 and C1 control characters, plus DEL.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// Control characters other than the line breaks and tab that prose may hold.
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Which invisible characters a field refuses (R48), beyond control characters:
 * - `name`: one line that shows something — no format characters (Unicode Cf; the joiners
 *   and tags inside emoji excepted), no line or paragraph separators, not blank to the eye
 *   (only fillers such as U+3164 or U+2800, or combining marks alone). Implies `forbidControl`.
 * - `prose`: line breaks allowed; bidirectional embeddings, overrides and isolates refused.
 * - left out: only control characters (and lone surrogates) are checked, for text the library
 *   records as it came (a customer's message).
 */
export type TextShape = 'name' | 'prose';

type TextRule = {
  /** Fewest grapheme clusters allowed. */
  min: number;
  /** Most grapheme clusters allowed. */
  max: number;
  /** Trim white space at both ends before checking. */
  trim?: boolean;
  /** Refuse control characters (names); messages may hold line breaks, so they allow `\n`, `\r` and `\t`. */
  forbidControl?: boolean;
  /** Which invisible characters to refuse besides control characters; see {@link TextShape}. */
  shape?: TextShape;
  /**
   * Refuse strings longer than this many UTF-16 code units before counting graphemes, so a
   * megabyte of combining marks costs nothing. Default: 64 code units per allowed character.
   */
  codeUnitCap?: number;
};

/**
 * A string field measured in user-perceived characters, with messages a person can act on:
 * `at most 20 characters, got 23`, `must not contain invisible format characters (U+200B)`.
 *
 * Format characters are looked for before trimming: JavaScript's `trim` removes U+FEFF as if it
 * were white space, which would hide it rather than refuse it.
 *
 * @example
 * ```ts
 * const productName = textField({ min: 1, max: 50, trim: true, shape: 'name' });
 * productName.safeParse('Basic\u200B').success; // false
 * ```
 */
export function textField(rule: TextRule) {
  const forbidControl = rule.forbidControl === true || rule.shape === 'name';
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : `must be a string, got ${typeName(issue.input)}`) })
    .transform((raw, ctx) => {
      const problem = textProblem(raw, rule, forbidControl);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return rule.trim ? raw.trim() : raw;
    });
}

function textProblem(raw: string, rule: TextRule, forbidControl: boolean): string | null {
  const cap = rule.codeUnitCap ?? Math.max(rule.max, 1) * 64;
  const value = rule.trim ? raw.trim() : raw;
  if (value.length > cap) return `at most ${rule.max} characters, got far more (${value.length} code units)`;
  if (hasLoneSurrogate(value)) return 'holds a lone surrogate, which is not valid text';
  const control = (forbidControl ? CONTROL_CHARACTERS : CONTROL_EXCEPT_LINE_BREAKS).exec(value);
  if (control) return `must not contain control characters (${codePointLabel(control[0])})`;
  if (rule.shape === 'name') {
    // U+FEFF at either end would be trimmed away silently: look at the text as given.
    const bom = /\uFEFF/.exec(raw);
    if (bom) return `must not contain invisible format characters (${codePointLabel(bom[0])})`;
    const invisible = nameInvisibleProblem(value);
    if (invisible !== null) return invisible;
  } else if (rule.shape === 'prose') {
    const invisible = proseInvisibleProblem(value);
    if (invisible !== null) return invisible;
  }
  const length = graphemeLength(value);
  if (length < rule.min) return rule.min === 1 ? 'must not be empty' : `at least ${rule.min} characters, got ${length}`;
  if (length > rule.max) return `at most ${rule.max} characters, got ${length}`;
  return null;
}

/**
 * A name (R5, R48): trimmed, 1 to `max` user-perceived characters, no control or format
 * characters, no line separators, not blank to the eye.
 *
 * @example
 * ```ts
 * nameField(50).safeParse('\u3164').success; // false: blank to the eye
 * ```
 */
export function nameField(max: number) {
  return textField({ min: 1, max, trim: true, shape: 'name' });
}

/**
 * Prose (R7, R19): 0 to `max` user-perceived characters; line breaks allowed; control
 * characters other than line breaks and tab, and bidirectional controls, refused. Not trimmed.
 *
 * @example
 * ```ts
 * proseField(500).parse('Hello!\nWe answer on weekdays.');
 * ```
 */
export function proseField(max: number) {
  return textField({ min: 0, max, shape: 'prose' });
}


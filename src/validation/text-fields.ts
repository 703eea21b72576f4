import * as z from 'zod';
import { graphemeLength, hasLoneSurrogate } from './graphemes.js';

// C0 and C1 control characters, plus DEL.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

type TextRule = {
  /** Fewest grapheme clusters allowed. */
  min: number;
  /** Most grapheme clusters allowed. */
  max: number;
  /** Trim white space at both ends before checking. */
  trim?: boolean;
  /** Refuse control characters (names); messages may hold line breaks, so they allow `\n`, `\r` and `\t`. */
  forbidControl?: boolean;
  /**
   * Refuse strings longer than this many UTF-16 code units before counting graphemes, so a
   * megabyte of combining marks costs nothing. Default: 64 code units per allowed character.
   */
  codeUnitCap?: number;
};

/**
 * A string field measured in user-perceived characters, with messages a person can act on:
 * `at most 20 characters, got 23`.
 */
export function textField(rule: TextRule) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : `must be a string, got ${typeName(issue.input)}`) })
    .transform((value) => (rule.trim ? value.trim() : value))
    .superRefine((value, ctx) => {
      const cap = rule.codeUnitCap ?? Math.max(rule.max, 1) * 64;
      if (value.length > cap) {
        ctx.addIssue({ code: 'custom', message: `at most ${rule.max} characters, got far more (${value.length} code units)` });
        return;
      }
      if (hasLoneSurrogate(value)) {
        ctx.addIssue({ code: 'custom', message: 'holds a lone surrogate, which is not valid text' });
        return;
      }
      const control = rule.forbidControl ? CONTROL_CHARACTERS : /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
      if (control.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'must not contain control characters' });
        return;
      }
      const length = graphemeLength(value);
      if (length < rule.min) {
        ctx.addIssue({
          code: 'custom',
          message: rule.min === 1 ? 'must not be empty' : `at least ${rule.min} characters, got ${length}`,
        });
      } else if (length > rule.max) {
        ctx.addIssue({ code: 'custom', message: `at most ${rule.max} characters, got ${length}` });
      }
    });
}

/** Names the type of a wrong value for an error message. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

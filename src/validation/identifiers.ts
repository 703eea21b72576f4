import * as z from 'zod';
import { typeName } from './text-fields.js';

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `${what} is required` : `must be a string (${what}), got ${typeName(issue.input)}`;

/**
 * An opaque identifier chosen by the host (domain, member, customer, product, bot): 1 to
 * `max` characters, well-formed text, no control characters.
 */
export function opaqueId(what: string, max = 128) {
  return z
    .string({ error: required(what) })
    .min(1, 'must not be empty')
    .max(max, { error: (issue) => `at most ${max} characters, got ${(issue.input as string).length}` })
    .refine((value) => value.isWellFormed(), 'holds a lone surrogate, which is not valid text')
    // eslint-disable-next-line no-control-regex
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');
}

/** The account ID of R6: 1–20 lowercase ASCII letters and digits, never rewritten. */
export const accountIdSchema = z
  .string({ error: required('account ID') })
  .refine((value) => /^[a-z0-9]{1,20}$/.test(value), {
    error: (issue) => {
      const value = issue.input as string;
      if (value.length === 0) return 'must not be empty';
      if (value.length > 20) return `at most 20 characters, got ${value.length}`;
      return `only lowercase letters a-z and digits 0-9 are allowed, got ${JSON.stringify(value.slice(0, 40))}`;
    },
  });

export const domainIdSchema = opaqueId('domain id');
export const memberIdSchema = opaqueId('member id');

import { err, ok, type Result } from 'neverthrow';
import * as z from 'zod';
import { validationError, type CxError, type ValidationIssue } from '../errors.js';
import { describeCause } from '../internal/describe-cause.js';
import { typeName } from '../internal/value-kinds.js';

/** Joins a zod issue path as `weeklyHours.mon.1.to`, under an optional prefix. */
export function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  const parts = path.map((part) => String(part));
  return [prefix, ...parts].filter((part) => part !== '').join('.');
}

/** Maps zod issues to our `{ path, message }` pairs. */
export function toValidationIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // A typo never passes silently (R27): name each unknown field (an empty name as "").
      return { path: issuePath(issue.path, prefix), message: `unknown field(s): ${issue.keys.map((key) => (key === '' ? '""' : key)).join(', ')}` };
    }
    return { path: issuePath(issue.path, prefix), message: issue.message };
  });
}

/**
 * Validates an unknown input with a zod schema, answering a `validation` error instead of throwing.
 * Never throws, whatever `input` is (getters that throw, proxies — revoked ones too —, cycles).
 *
 * zod builds issue messages only when they are first read, after `safeParse` has returned:
 * they are read here, inside the `try`, so that a message function meeting a hostile input
 * cannot throw later in the caller (where it would look like a storage failure).
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 *
 * parseInput(z.strictObject({ name: z.string() }), { nmae: 'x' });
 * // err({ code: 'validation', issues: [{ path: 'name', message: 'required' }, { path: '', message: 'unknown field(s): nmae' }] })
 * ```
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = '',
): Result<z.output<S>, CxError> {
  try {
    const parsed = schema.safeParse(input) as z.ZodSafeParseResult<z.output<S>>;
    if (parsed.success) return ok(parsed.data);
    // Only a refused input pays for our messages: zod 4.6 spends about 1 µs on any parse given
    // options (it copies them into its context), 20 times a valid id's whole parse
    // (test/bench/validation.bench.ts). The second parse of the same input, with
    // `friendlyMessage`, builds the issues; an input that changes in between (a getter) and
    // now passes is answered as parsed, so a value is only ever answered after the schema.
    const explained = schema.safeParse(input, { error: friendlyMessage }) as z.ZodSafeParseResult<z.output<S>>;
    if (explained.success) return ok(explained.data);
    return err(validationError(toValidationIssues(explained.error, prefix)));
  } catch (cause) {
    // zod itself does not throw, but user objects with throwing getters or proxies can.
    return err(validationError([{ path: prefix, message: `could not read the input: ${describeCause(cause)}` }]));
  }
}

/**
 * Messages a person can act on, for the issues our schemas leave to zod's defaults. Never
 * throws: an input it cannot describe gets a plain message.
 */
function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  try {
    return describeIssue(issue);
  } catch {
    return 'invalid value';
  }
}

function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      if (issue.expected === 'int') return `must be a whole number, got ${preview(issue.input)}`;
      return `must be ${issue.expected}, got ${typeName(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} item(s), got ${lengthOf(issue.input)}`
        : issue.origin === 'string'
          ? `at least ${issue.minimum} characters, got ${lengthOf(issue.input)}`
          : `must be at least ${issue.minimum}, got ${String(issue.input)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} item(s), got ${lengthOf(issue.input)}`
        : issue.origin === 'string'
          ? `at most ${issue.maximum} characters, got ${lengthOf(issue.input)}`
          : `must be at most ${issue.maximum}, got ${String(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, got ${preview(issue.input)}`;
    case 'invalid_union':
      return `does not match any allowed shape, got ${typeName(issue.input)}`;
    default:
      return undefined;
  }
}

function lengthOf(input: unknown): string {
  if (typeof input === 'string') return String(input.length);
  const type = typeName(input);
  return type === 'array' ? String((input as unknown[]).length) : type;
}

/** A short, safe rendering of a wrong value for a message. */
function preview(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint') return String(input);
  return typeName(input);
}


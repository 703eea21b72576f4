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
      // A typo never passes silently (R27): name each unknown field.
      return { path: issuePath(issue.path, prefix), message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { path: issuePath(issue.path, prefix), message: issue.message };
  });
}

/** What a fast check answers for an input it does not vouch for: the schema decides then. */
export const UNDECIDED: unique symbol = Symbol('undecided');

/** Checks registered by {@link withFastCheck}, by schema. */
const fastChecks = new WeakMap<z.ZodType, (input: unknown) => unknown>();

/**
 * Gives `schema` a check in plain code for the common, valid input, which {@link parseInput}
 * tries first: it answers the parsed value (what `schema` would answer), or {@link UNDECIDED}
 * for anything else, which then goes through `schema` (and its messages). Ids are checked on
 * every call, several per operation; the plain check costs a tenth of zod's.
 */
export function withFastCheck<S extends z.ZodType>(schema: S, check: (input: unknown) => z.output<S> | typeof UNDECIDED): S {
  fastChecks.set(schema, check);
  return schema;
}

/**
 * `z.strictObject(shape)` with a fast check made of its fields' own: a plain object with no
 * unknown key, whose every field is present with a value its field's fast check vouches for,
 * or absent where the field is optional. Anything else (an explicit `undefined`, a field
 * without a fast check, a value a check does not vouch for) is left to the schema.
 */
export function strictObjectWithFastCheck<Shape extends Record<string, z.ZodType>>(shape: Shape): z.ZodObject<Shape, z.core.$strict> {
  const fields = Object.entries(shape).map(([key, field]) => {
    const optional = field instanceof z.ZodOptional;
    const inner = optional ? (field.unwrap() as z.ZodType) : field;
    return { key, optional, check: fastChecks.get(inner) };
  });
  const keys = new Set(Object.keys(shape));
  return withFastCheck(z.strictObject(shape), (input) => {
    if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return UNDECIDED;
    const given = input as Record<string, unknown>;
    for (const key of Object.keys(given)) if (!keys.has(key)) return UNDECIDED;
    const output: Record<string, unknown> = {};
    for (const { key, optional, check } of fields) {
      if (!(key in given)) {
        if (optional) continue;
        return UNDECIDED;
      }
      const value = check === undefined ? UNDECIDED : check(given[key]);
      if (value === UNDECIDED || value === undefined) return UNDECIDED;
      output[key] = value;
    }
    return output as z.output<z.ZodObject<Shape, z.core.$strict>>;
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
    const fast = fastChecks.get(schema);
    if (fast) {
      const value = fast(input);
      if (value !== UNDECIDED) return ok(value as z.output<S>);
    }
    const parsed = schema.safeParse(input, { error: friendlyMessage }) as z.ZodSafeParseResult<z.output<S>>;
    if (parsed.success) return ok(parsed.data);
    return err(validationError(toValidationIssues(parsed.error, prefix)));
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


import { err, ok, type Result } from 'neverthrow';
import type * as z from 'zod';

/** What the command line holds for one option: its text, `true` for a flag given, or nothing. */
export type RawOption = string | boolean | undefined;

/**
 * One option of a command: how `node:util`'s `parseArgs` reads it, how the usage shows it (with
 * its bounds and default), and how its text becomes a value — or why not, as a sentence that
 * names the option. Made by {@link flag}, {@link wholeNumber} and {@link identifier}.
 */
export type CliOption<T> = {
  /** `'string'` for an option that takes a value, `'boolean'` for a flag. */
  type: 'string' | 'boolean';
  /** The value's name in the usage (`'<ms>'`); `''` for a flag. */
  placeholder: string;
  /** Whether the command cannot run without it (the synopsis shows it without brackets). */
  required: boolean;
  /** The usage's line for it: what it does, its bounds, its default. */
  help: string;
  /** The value of the option named `--name`, or why the command line is wrong. */
  read(raw: RawOption, name: string): Result<T, string>;
};

/** Node's timers fire at once for a delay above this (`TimeoutOverflowWarning`): 2³¹ − 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A flag: `true` when given, `false` otherwise.
 *
 * @example
 * ```ts
 * const once = flag('run one round, then exit');
 * once.read(undefined, 'once'); // ok(false)
 * ```
 */
export function flag(help: string): CliOption<boolean> {
  return { type: 'boolean', placeholder: '', required: false, help, read: (raw) => ok(raw === true) };
}

/**
 * A whole number from `min` to `max` (decimal digits only: no sign, no fraction, no exponent),
 * `fallback` when not given. The usage line states the range and the default.
 *
 * @example
 * ```ts
 * const limit = wholeNumber({ placeholder: '<jobs>', min: 1, max: 10_000, fallback: 10, help: 'jobs one round handles at most' });
 * limit.read('20000', 'limit'); // err("--limit must be a whole number from 1 to 10000, got '20000'")
 * ```
 */
export function wholeNumber(spec: { placeholder: string; min: number; max: number; fallback: number; help: string }): CliOption<number> {
  const { placeholder, min, max, fallback, help } = spec;
  return {
    type: 'string',
    placeholder,
    required: false,
    help: `${help}: a whole number from ${min} to ${max} (default ${fallback})`,
    read(raw, name) {
      if (raw === undefined) return ok(fallback);
      const value = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
      if (!(value >= min && value <= max)) return err(`--${name} must be a whole number from ${min} to ${max}, got ${shown(raw)}`);
      return ok(value);
    },
  };
}

/**
 * A required id checked by one of the library's id schemas (the same bounds the operation
 * applies), taken as given: never trimmed or normalised.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 *
 * const domain = identifier({ placeholder: '<id>', schema: z.string().min(1), help: 'the domain: 1 to 128 characters' });
 * domain.read(undefined, 'domain'); // err('--domain <id> is required')
 * ```
 */
export function identifier(spec: { placeholder: string; schema: z.ZodType<string>; help: string }): CliOption<string> {
  const { placeholder, schema, help } = spec;
  return {
    type: 'string',
    placeholder,
    required: true,
    help,
    read(raw, name) {
      if (raw === undefined) return err(`--${name} ${placeholder} is required`);
      const parsed = schema.safeParse(raw);
      if (parsed.success) return ok(parsed.data);
      // The library's message, as its validation errors word it ("at most 128 characters, got 129").
      const problem = parsed.error.issues[0]?.message ?? 'not valid';
      return err(`--${name}: ${problem}${/\bgot\b/.test(problem) ? '' : `, got ${shown(raw)}`}`);
    },
  };
}

/**
 * A value as the messages quote it: in single quotes, cut at 60 characters, with control
 * characters escaped (a newline shows as `\n`, DEL as `\u007f`), so a message stays one line.
 */
export function shown(raw: RawOption): string {
  const text = String(raw);
  const cut = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  const escaped = JSON.stringify(cut)
    .slice(1, -1)
    .replace(/[\u007f-\u009f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replaceAll("'", "\\'");
  return `'${escaped}'`;
}

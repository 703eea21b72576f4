import { err, ok, type Result } from 'neverthrow';
import type { CliIo } from './cli-io.js';
import type { CliOption, RawOption } from './cli-option.js';
import { DATABASE_URL_VARIABLES, type DatabaseTarget } from './database-url.js';

/** The values of a command's options, by option name (`values['interval-ms']`). */
export type OptionValues<O extends Record<string, CliOption<unknown>>> = { [K in keyof O]: O[K] extends CliOption<infer T> ? T : never };

/** Why a command stops before its work is done: a signal, or its standard output closed (`| head`). */
export type StopReason = 'SIGTERM' | 'SIGINT' | 'EPIPE';

/** What a command gets to do its work, its options read and checked. */
export type CommandContext<V> = {
  /** The options, each within its bounds. */
  values: V;
  /** The database, which exists unless the command may create it. */
  database: { target: DatabaseTarget; /** the URL with its credentials hidden, for messages */ shown: string };
  /** Output; lines holding the URL's secrets are printed with them hidden. */
  io: CliIo;
  /** Aborted (with a {@link StopReason}) when the command should end after the work in hand. */
  stop: AbortSignal;
  /** Prints `cx-accounts <command>: <message>` on standard error. */
  fail(message: string): void;
};

/**
 * What a command is, as {@link defineCommand} takes it: its words, its help, its options and
 * what it does. Every command takes `--url <database>` (with its environment fallbacks),
 * `--help` and `--version`; its other options are its own.
 */
export type CommandSpec<O extends Record<string, CliOption<unknown>>> = {
  /** The words that name it: `['migrate']`, `['backups', 'run']` (the first word of two is its group). */
  words: readonly [string, ...string[]];
  /** One line for the list of commands. */
  summary: string;
  /** What it does, for its own usage (wrapped by the author, lines of at most ~95 characters). */
  details: string;
  /** `'create'`: may create the database (an SQLite file); `'existing'`: the database must exist. */
  database: 'create' | 'existing';
  /** Whether it runs until SIGTERM or SIGINT (which then abort `stop` instead of ending the process). */
  untilSignal: boolean;
  options: O;
  /** Does the work; answers the exit code. Never throws. */
  run(context: CommandContext<OptionValues<O>>): Promise<number>;
};

/** What `runCli` hands a prepared command: the context without the values it has read. */
export type PreparedContext = Omit<CommandContext<unknown>, 'values' | 'fail'>;

/** A command of the table, its option types erased: what `runCli` works with. */
export type CliCommand = {
  words: readonly string[];
  summary: string;
  database: 'create' | 'existing';
  untilSignal: boolean;
  /** The `parseArgs` configuration of its options (with `--url`, `--help`, `--version`). */
  parseOptions: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /** `cx-accounts backups run [--url <database>] …` */
  synopsis: string;
  /** Its whole usage: synopsis, what it does, every option with its bounds. */
  usage: string;
  /** Reads the options (not `--url`): the work to run, or why the command line is wrong. */
  prepare(values: Record<string, RawOption>): Result<(context: PreparedContext) => Promise<number>, string>;
};

/** Options every command takes, handled by `runCli`. */
export const COMMON_OPTIONS = {
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const URL_HELP = [
  'where the database is, taken as given: a file path or sqlite:<file> (SQLite),',
  'postgres://… (PostgreSQL), mysql://… or mariadb://… (MySQL, MariaDB);',
  `default: $${DATABASE_URL_VARIABLES.join(', else $')};`,
];

/**
 * Makes a command of the table from its spec: the usage (every option with its bounds) is
 * written from the options, and `prepare` checks each of them before anything is opened.
 *
 * @example
 * ```ts
 * const ping = defineCommand({
 *   words: ['ping'],
 *   summary: 'open the database, then exit',
 *   details: 'Opens the database and closes it.',
 *   database: 'existing',
 *   untilSignal: false,
 *   options: {},
 *   async run({ database, io }) {
 *     io.out(`reached ${database.shown}`);
 *     return 0;
 *   },
 * });
 * // In cli-commands.ts: export const CLI_COMMANDS = [migrateCommand, …, ping];
 * ```
 */
export function defineCommand<O extends Record<string, CliOption<unknown>>>(spec: CommandSpec<O>): CliCommand {
  const entries = Object.entries(spec.options);
  const name = `cx-accounts ${spec.words.join(' ')}`;
  const synopsisOf = ([option, definition]: [string, CliOption<unknown>]) => {
    const text = `--${option}${definition.placeholder ? ` ${definition.placeholder}` : ''}`;
    return definition.required ? text : `[${text}]`;
  };
  const synopsis = [name, '[--url <database>]', ...entries.map(synopsisOf)].join(' ');
  const rows: [string, string[]][] = [
    ['--url <database>', [...URL_HELP, spec.database === 'create' ? 'an SQLite file that does not exist is created' : 'the database must exist (only migrate creates one)']],
    ...entries.map(([option, definition]): [string, string[]] => [`--${option}${definition.placeholder ? ` ${definition.placeholder}` : ''}`, [definition.help]]),
    ['-h, --help', ['print this help']],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const optionLines = rows.flatMap(([left, lines]) => lines.map((line, index) => `  ${(index === 0 ? left : '').padEnd(width)}${line}`));
  const usage = [`Usage: ${synopsis}`, '', spec.details, '', 'Options:', ...optionLines].join('\n');

  return {
    words: spec.words,
    summary: spec.summary,
    database: spec.database,
    untilSignal: spec.untilSignal,
    parseOptions: { ...COMMON_OPTIONS, ...Object.fromEntries(entries.map(([option, definition]) => [option, { type: definition.type }])) },
    synopsis,
    usage,
    prepare(raw) {
      const values: Record<string, unknown> = {};
      for (const [option, definition] of entries) {
        const read = definition.read(raw[option], option);
        if (read.isErr()) return err(read.error);
        values[option] = read.value;
      }
      // Each value was read by its own option, so the record has the spec's value types.
      const typed = values as OptionValues<O>;
      return ok((context) =>
        spec.run({
          ...context,
          values: typed,
          fail: (message) => context.io.error(`${name}: ${message}`),
        }),
      );
    },
  };
}

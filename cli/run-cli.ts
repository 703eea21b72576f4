import { parseArgs } from 'node:util';
import type { CliCommand, StopReason } from './cli-command.js';
import { CLI_COMMANDS } from './cli-commands.js';
import { EXIT, describeFailure, type CliIo } from './cli-io.js';
import { shown, type RawOption } from './cli-option.js';
import { cliVersion } from './cli-version.js';
import { DATABASE_URL_VARIABLES, databaseTarget, missingDatabase, notCxSqlite } from './database-url.js';
import { redactedUrl, redactingIo } from './redact-url.js';

/** Something that delivers SIGTERM and SIGINT (the process, in production). */
export type SignalSource = Pick<NodeJS.Process, 'once' | 'off'>;

/** What the CLI runs against: the process in production, stand-ins in tests. */
export type CliHost = {
  io: CliIo;
  /** SIGTERM and SIGINT: a command that runs until stopped listens for them while it runs. */
  signals: SignalSource;
  /** The environment (`CX_DATABASE_URL`, `DATABASE_URL`). */
  env: Record<string, string | undefined>;
  /** Aborted when standard output has closed (a reader such as `head -1` has gone). */
  outputClosed?: AbortSignal;
};

/**
 * Runs the command line `argv` (without `node` and the script) and answers the exit code.
 * Never throws. Every option is checked against its bounds before anything is opened: a wrong
 * command line answers 2, with the reason and the command's usage on standard error; a failure
 * of the work answers 1 with its reason; `--help` and `--version` answer 0.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), {
 *   io: { out: console.log, error: console.error },
 *   signals: process,
 *   env: process.env,
 * });
 * ```
 */
export async function runCli(argv: string[], host: CliHost, commands: readonly CliCommand[] = CLI_COMMANDS): Promise<number> {
  try {
    return await dispatch(argv, host, commands);
  } catch (thrown) {
    host.io.error(`cx-accounts: ${describeFailure(thrown)}`);
    return EXIT.failure;
  }
}

/**
 * The usage of the whole program: every command's synopsis and summary, where the database
 * comes from, the exit codes.
 */
export function globalUsage(commands: readonly CliCommand[] = CLI_COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.words.join(' ').length)) + 3;
  return [
    'Usage: cx-accounts <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.words.join(' ').padEnd(width)}${command.summary}`),
    '',
    ...commands.map((command) => `  ${command.synopsis}`),
    '',
    '<database>: a file path or sqlite:<file> (SQLite), postgres://… (PostgreSQL), mysql://… or',
    `mariadb://… (MySQL, MariaDB); default: $${DATABASE_URL_VARIABLES.join(', else $')}.`,
    'Only migrate creates a database: the other commands need an existing one.',
    'Exit codes: 0 done, 1 the database or the work failed, 2 the command line was wrong.',
    '',
    "  cx-accounts <command> --help   a command's options, each with its bounds and default",
    '  cx-accounts --version          the version',
  ].join('\n');
}

/** The usage of a group of commands (`backups`): their synopses and summaries. */
function groupUsage(group: string, members: readonly CliCommand[]): string {
  return [
    'Usage:',
    ...members.map((command) => `  ${command.synopsis}`),
    '',
    ...members.map((command) => `  ${command.words.join(' ')}   ${command.summary}`),
    '',
    `  cx-accounts ${group} <command> --help   a command's options, each with its bounds and default`,
  ].join('\n');
}

async function dispatch(argv: string[], host: CliHost, commands: readonly CliCommand[]): Promise<number> {
  const { io } = host;
  // First, which command: positionals read with every command's options known (so that an
  // option's value is not taken for a word). Its own options are checked strictly below.
  const allOptions = Object.assign({}, ...commands.map((command) => command.parseOptions)) as CliCommand['parseOptions'];
  const first = parseArgs({ args: argv, options: allOptions, strict: false, allowPositionals: true });
  const words = first.positionals;
  if (first.values['version'] === true) {
    io.out(`cx-accounts ${cliVersion()}`);
    return EXIT.ok;
  }
  if (words[0] === 'help') return help(words.slice(1), io, commands);
  if (words.length === 0) {
    if (first.values['help'] === true) {
      io.out(globalUsage(commands));
      return EXIT.ok;
    }
    return usageError(io, 'cx-accounts', 'no command given', globalUsage(commands));
  }
  const command = findCommand(words, commands);
  if (command === undefined) {
    const members = commands.filter((candidate) => candidate.words.length > 1 && candidate.words[0] === words[0]);
    if (members.length === 0) return usageError(io, 'cx-accounts', `unknown command ${shown(words.join(' '))}`, globalUsage(commands));
    if (words.length === 1 && first.values['help'] === true) {
      io.out(groupUsage(words[0]!, members));
      return EXIT.ok;
    }
    const problem = words.length === 1 ? `needs a command: ${members.map((member) => member.words.slice(1).join(' ')).join(', ')}` : `unknown command ${shown(words.join(' '))}`;
    return usageError(io, `cx-accounts ${words[0]}`, problem, groupUsage(words[0]!, members));
  }
  return runCommand(command, argv, host);
}

function help(topic: string[], io: CliIo, commands: readonly CliCommand[]): number {
  if (topic.length === 0) {
    io.out(globalUsage(commands));
    return EXIT.ok;
  }
  const command = findCommand(topic, commands);
  if (command !== undefined && command.words.length === topic.length) {
    io.out(command.usage);
    return EXIT.ok;
  }
  const members = commands.filter((candidate) => candidate.words.length > 1 && candidate.words[0] === topic[0]);
  if (topic.length === 1 && members.length > 0) {
    io.out(groupUsage(topic[0]!, members));
    return EXIT.ok;
  }
  return usageError(io, 'cx-accounts help', `unknown command ${shown(topic.join(' '))}`, globalUsage(commands));
}

/** The command named by the first words (the one with the most words, should names nest). */
function findCommand(words: readonly string[], commands: readonly CliCommand[]): CliCommand | undefined {
  return commands
    .filter((command) => command.words.every((word, index) => words[index] === word))
    .sort((a, b) => b.words.length - a.words.length)[0];
}

async function runCommand(command: CliCommand, argv: string[], host: CliHost): Promise<number> {
  const name = `cx-accounts ${command.words.join(' ')}`;
  const wrong = (message: string) => usageError(host.io, name, message, command.usage);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: command.parseOptions, strict: true, allowPositionals: true, tokens: true });
  } catch (thrown) {
    return wrong((thrown instanceof Error ? thrown.message : String(thrown)).replace(/\s*\n\s*/g, ' '));
  }
  const values: Record<string, RawOption> = parsed.values;
  if (values['help'] === true) {
    host.io.out(command.usage);
    return EXIT.ok;
  }
  const extra = parsed.positionals.slice(command.words.length);
  if (extra.length > 0) return wrong(`unexpected argument ${shown(extra[0])}`);
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) return wrong(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  const prepared = command.prepare(values);
  if (prepared.isErr()) return wrong(prepared.error);

  const given = databaseUrl(values['url'], host.env);
  if (given === null) return wrong(`--url <database> is required (or $${DATABASE_URL_VARIABLES.join(' or $')})`);
  const target = databaseTarget(given.url);
  if (typeof target === 'string') return wrong(given.from === '--url' ? target : `${given.from}: ${target}`);
  // From here on, every line printed hides the URL's secrets.
  const io = redactingIo(host.io, given.url);
  if (command.database === 'existing') {
    const missing = missingDatabase(target);
    if (missing?.kind === 'usage') return usageError(io, name, missing.message, command.usage);
    const problem = missing?.message ?? (target.kind === 'sqlite' ? await notCxSqlite(target.filename) : null);
    if (problem !== null) {
      io.error(`${name}: ${problem}`);
      return EXIT.failure;
    }
  }

  const stop = new AbortController();
  const onOutputClosed = () => stop.abort('EPIPE' satisfies StopReason);
  const onTerm = () => stop.abort('SIGTERM' satisfies StopReason);
  const onInt = () => stop.abort('SIGINT' satisfies StopReason);
  host.outputClosed?.addEventListener('abort', onOutputClosed, { once: true });
  if (host.outputClosed?.aborted) onOutputClosed();
  if (command.untilSignal) {
    host.signals.once('SIGTERM', onTerm);
    host.signals.once('SIGINT', onInt);
  }
  try {
    return await prepared.value({ database: { target, shown: redactedUrl(given.url) }, io, stop: stop.signal });
  } catch (thrown) {
    // A command answers its failures; this is a bug's last stop, printed with the secrets hidden.
    io.error(`${name}: ${describeFailure(thrown)}`);
    return EXIT.failure;
  } finally {
    host.outputClosed?.removeEventListener('abort', onOutputClosed);
    if (command.untilSignal) {
      host.signals.off('SIGTERM', onTerm);
      host.signals.off('SIGINT', onInt);
    }
  }
}

/** `--url`, else the first environment variable set and not empty, and where it came from. */
function databaseUrl(option: RawOption, env: CliHost['env']): { url: string; from: string } | null {
  if (typeof option === 'string') return { url: option, from: '--url' };
  for (const variable of DATABASE_URL_VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { url: value, from: `$${variable}` };
  }
  return null;
}

function usageError(io: CliIo, name: string, message: string, usage: string): number {
  io.error(`${name}: ${message}`);
  io.error('');
  io.error(usage);
  return EXIT.usage;
}

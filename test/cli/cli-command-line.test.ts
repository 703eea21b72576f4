import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package/packed-package.js';
import { CLI_TEST_TIMEOUT_MS, cli } from './cli-process.js';

/**
 * Wrong command lines: each answers exit code 2, the reason on standard error under the
 * command's name, then the usage that states the bounds — and opens nothing. Every case runs in
 * an empty folder with `--url` naming a file there (unless the case is about `--url`), so a
 * case that opened the database would leave a file behind.
 */
type BadLine = { args: string[]; message: string; usage: string; env?: Record<string, string> };

/** `cx-accounts <args…> --url db.sqlite`: the case's database file, which must never appear. */
const DB = 'db.sqlite';
const withUrl = (...args: string[]) => [...args, '--url', DB];

const MIGRATE_USAGE = 'Usage: cx-accounts migrate [--url <database>] [--json]';
const BACKUPS_USAGE = 'Usage: cx-accounts backups run [--url <database>] [--once] [--interval-ms <ms>] [--limit <jobs>] [--json]';
const EVENTS_USAGE =
  'Usage: cx-accounts events tail [--url <database>] --domain <id> [--after <seq>] [--once] [--interval-ms <ms>] [--limit <events>] [--json]';
const GLOBAL_USAGE = 'Usage: cx-accounts <command> [options]';
const BACKUPS_GROUP_USAGE = 'cx-accounts backups <command> --help';

const global: BadLine[] = [
  { args: [], message: 'cx-accounts: no command given', usage: GLOBAL_USAGE },
  { args: withUrl('frobnicate'), message: "cx-accounts: unknown command 'frobnicate'", usage: GLOBAL_USAGE },
  { args: withUrl('events'), message: 'cx-accounts events: needs a command: tail', usage: 'cx-accounts events <command> --help' },
  { args: ['backups'], message: 'cx-accounts backups: needs a command: run', usage: BACKUPS_GROUP_USAGE },
  { args: withUrl('backups', 'frob'), message: "cx-accounts backups: unknown command 'backups frob'", usage: BACKUPS_GROUP_USAGE },
  { args: ['help', 'nothing'], message: "cx-accounts help: unknown command 'nothing'", usage: GLOBAL_USAGE },
];

const migrate: BadLine[] = [
  { args: ['migrate'], message: 'cx-accounts migrate: --url <database> is required (or $CX_DATABASE_URL or $DATABASE_URL)', usage: MIGRATE_USAGE },
  { args: ['migrate', '--url', ''], message: 'cx-accounts migrate: the database URL is empty', usage: MIGRATE_USAGE },
  { args: ['migrate', '--url'], message: "cx-accounts migrate: Option '--url <value>' argument missing", usage: MIGRATE_USAGE },
  { args: ['migrate', '--url', 'redis://cache'], message: "cx-accounts migrate: unsupported database URL scheme 'redis:'", usage: MIGRATE_USAGE },
  { args: ['migrate', '--url', 'sqlite:'], message: 'cx-accounts migrate: an sqlite: URL needs a file name', usage: MIGRATE_USAGE },
  { args: ['migrate'], env: { CX_DATABASE_URL: 'ftp://x' }, message: "cx-accounts migrate: $CX_DATABASE_URL: unsupported database URL scheme 'ftp:'", usage: MIGRATE_USAGE },
  { args: withUrl('migrate', '--bogus'), message: "cx-accounts migrate: Unknown option '--bogus'", usage: MIGRATE_USAGE },
  { args: withUrl('migrate', '--domain', 'acme'), message: "cx-accounts migrate: Unknown option '--domain'", usage: MIGRATE_USAGE },
  { args: withUrl('migrate', '--once'), message: "cx-accounts migrate: Unknown option '--once'", usage: MIGRATE_USAGE },
  { args: withUrl('migrate', '--limit', '5'), message: "cx-accounts migrate: Unknown option '--limit'", usage: MIGRATE_USAGE },
  { args: withUrl('migrate', 'now'), message: "cx-accounts migrate: unexpected argument 'now'", usage: MIGRATE_USAGE },
  { args: [...withUrl('migrate'), '--url', 'other.sqlite'], message: 'cx-accounts migrate: --url is given more than once', usage: MIGRATE_USAGE },
  { args: withUrl('migrate', '--json=yes'), message: "cx-accounts migrate: Option '--json' does not take an argument", usage: MIGRATE_USAGE },
];

const backupsRun: BadLine[] = [
  // A delay above 2³¹ − 1 ms makes Node fire the timer after 1 ms: a tight polling loop.
  ...[
    ['3000000000', '3000000000'],
    ['2147483648', '2147483648'],
    ['0', '0'],
    ['1.5', '1.5'],
    ['1e3', '1e3'],
    ['+5', '+5'],
    [' 5', ' 5'],
    ['', ''],
    ['five', 'five'],
  ].map(
    ([given, shown]): BadLine => ({
      args: withUrl('backups', 'run', `--interval-ms=${given}`),
      message: `cx-accounts backups run: --interval-ms must be a whole number from 1 to 2147483647, got '${shown}'`,
      usage: BACKUPS_USAGE,
    }),
  ),
  ...['20000', '10001', '0', '-1', '2.5'].map(
    (given): BadLine => ({
      args: withUrl('backups', 'run', `--limit=${given}`),
      message: `cx-accounts backups run: --limit must be a whole number from 1 to 10000, got '${given}'`,
      usage: BACKUPS_USAGE,
    }),
  ),
  { args: withUrl('backups', 'run', '--limit', '-1'), message: "cx-accounts backups run: Option '--limit' argument is ambiguous.", usage: BACKUPS_USAGE },
  { args: withUrl('backups', 'run', '--domain', 'acme'), message: "cx-accounts backups run: Unknown option '--domain'", usage: BACKUPS_USAGE },
  { args: withUrl('backups', 'run', '--after', '3'), message: "cx-accounts backups run: Unknown option '--after'", usage: BACKUPS_USAGE },
  { args: withUrl('backups', 'run', '--once', '--once'), message: 'cx-accounts backups run: --once is given more than once', usage: BACKUPS_USAGE },
  { args: withUrl('backups', 'run', '--limit', '5', '--limit=6'), message: 'cx-accounts backups run: --limit is given more than once', usage: BACKUPS_USAGE },
  { args: withUrl('backups', 'run', 'now'), message: "cx-accounts backups run: unexpected argument 'now'", usage: BACKUPS_USAGE },
  { args: ['backups', 'run'], message: 'cx-accounts backups run: --url <database> is required', usage: BACKUPS_USAGE },
  { args: ['backups', 'run', '--url', ':memory:'], message: 'cx-accounts backups run: an in-memory SQLite database (:memory:) is always empty', usage: BACKUPS_USAGE },
  { args: ['backups', 'run', '--url', 'sqlite::memory:'], message: 'cx-accounts backups run: an in-memory SQLite database (:memory:) is always empty', usage: BACKUPS_USAGE },
];

const eventsTail: BadLine[] = [
  { args: withUrl('events', 'tail'), message: 'cx-accounts events tail: --domain <id> is required', usage: EVENTS_USAGE },
  { args: withUrl('events', 'tail', '--domain', ''), message: "cx-accounts events tail: --domain: must not be empty, got ''", usage: EVENTS_USAGE },
  { args: withUrl('events', 'tail', '--domain', 'ac\nme'), message: "cx-accounts events tail: --domain: must not contain control characters (U+000A), got 'ac\\nme'", usage: EVENTS_USAGE },
  { args: withUrl('events', 'tail', '--domain', 'a\u007f'), message: "cx-accounts events tail: --domain: must not contain control characters (U+007F), got 'a\\u007f'", usage: EVENTS_USAGE },
  { args: withUrl('events', 'tail', '--domain', 'x'.repeat(129)), message: 'cx-accounts events tail: --domain: at most 128 characters, got 129', usage: EVENTS_USAGE },
  { args: withUrl('events', 'tail', '--domain', '--once'), message: "cx-accounts events tail: Option '--domain' argument is ambiguous.", usage: EVENTS_USAGE },
  ...['-1', '9007199254740992', '1.5', 'last'].map(
    (given): BadLine => ({
      args: withUrl('events', 'tail', '--domain', 'acme', `--after=${given}`),
      message: `cx-accounts events tail: --after must be a whole number from 0 to 9007199254740991, got '${given}'`,
      usage: EVENTS_USAGE,
    }),
  ),
  { args: withUrl('events', 'tail', '--domain', 'acme', '--after', '-1'), message: "cx-accounts events tail: Option '--after' argument is ambiguous.", usage: EVENTS_USAGE },
  ...['20000', '1001', '0'].map(
    (given): BadLine => ({
      args: withUrl('events', 'tail', '--domain', 'acme', '--limit', given),
      message: `cx-accounts events tail: --limit must be a whole number from 1 to 1000, got '${given}'`,
      usage: EVENTS_USAGE,
    }),
  ),
  ...['3000000000', '0'].map(
    (given): BadLine => ({
      args: withUrl('events', 'tail', '--domain', 'acme', '--interval-ms', given),
      message: `cx-accounts events tail: --interval-ms must be a whole number from 1 to 2147483647, got '${given}'`,
      usage: EVENTS_USAGE,
    }),
  ),
  { args: withUrl('events', 'tail', '--domain', 'acme', '--domain', 'other'), message: 'cx-accounts events tail: --domain is given more than once', usage: EVENTS_USAGE },
  { args: withUrl('events', 'tail', '--domain', 'acme', 'now'), message: "cx-accounts events tail: unexpected argument 'now'", usage: EVENTS_USAGE },
  { args: ['events', 'tail', '--domain', 'acme', '--url', ':memory:'], message: 'cx-accounts events tail: an in-memory SQLite database (:memory:) is always empty', usage: EVENTS_USAGE },
];

describe('cx-accounts CLI: a wrong command line answers 2 with the reason and the usage, and opens nothing', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cx-cli-args-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const tables: [string, BadLine[]][] = [
    ['the program', global],
    ['migrate', migrate],
    ['backups run', backupsRun],
    ['events tail', eventsTail],
  ];
  for (const [name, table] of tables) {
    describe.concurrent(name, () => {
      it.each(table.map((line, index) => ({ ...line, index, label: JSON.stringify(line.args) + (line.env ? ` ${JSON.stringify(line.env)}` : '') })))(
        '$label',
        async ({ args, env, message, usage, index }) => {
          const cwd = mkdtempSync(join(root, `${name.replace(' ', '-')}-${index}-`));
          const run = await cli(args, env, cwd);
          expect(run.status).toBe(2);
          expect(run.stdout).toBe('');
          expect(run.stderr.split('\n')[0]).toContain(message);
          expect(run.stderr).toContain(usage);
          expect(readdirSync(cwd)).toEqual([]);
          expect(existsSync(join(cwd, DB))).toBe(false);
        },
      );
    });
  }
});

describe('cx-accounts CLI: --help, help <command>, --version', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

  it.concurrent.each([
    { args: ['--version'], first: `cx-accounts ${version}` },
    { args: ['migrate', '--version'], first: `cx-accounts ${version}` },
    { args: ['--help'], first: GLOBAL_USAGE },
    { args: ['-h'], first: GLOBAL_USAGE },
    { args: ['help'], first: GLOBAL_USAGE },
    { args: ['migrate', '--help'], first: MIGRATE_USAGE },
    { args: ['help', 'migrate'], first: MIGRATE_USAGE },
    { args: ['backups', 'run', '-h'], first: BACKUPS_USAGE },
    { args: ['events', 'tail', '--help'], first: EVENTS_USAGE },
    { args: ['help', 'events', 'tail'], first: EVENTS_USAGE },
    { args: ['backups', '--help'], first: 'Usage:' },
    { args: ['help', 'backups'], first: 'Usage:' },
  ])('$args prints on standard output and answers 0', async ({ args, first }) => {
    const run = await cli(args);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(first);
  });

  it('each usage states every bound and default', async () => {
    const [backups, events, global, group] = await Promise.all([
      cli(['backups', 'run', '--help']),
      cli(['events', 'tail', '--help']),
      cli(['--help']),
      cli(['backups', '--help']),
    ]);
    for (const line of [
      '--interval-ms <ms>  pause between rounds that left nothing to do: a whole number from 1 to 2147483647 (default 5000)',
      '--limit <jobs>      jobs one round handles at most: a whole number from 1 to 10000 (default 10)',
      'the database must exist (only migrate creates one)',
      'default: $CX_DATABASE_URL, else $DATABASE_URL',
    ]) {
      expect(backups.stdout).toContain(line);
    }
    for (const line of [
      '--domain <id>       the domain whose events to print: 1 to 128 characters, no control characters',
      '--after <seq>       print the events with a greater seq: a whole number from 0 to 9007199254740991 (default 0)',
      '--interval-ms <ms>  pause after a read that found nothing new: a whole number from 1 to 2147483647 (default 1000)',
      '--limit <events>    events one read fetches: a whole number from 1 to 1000 (default 1000)',
    ]) {
      expect(events.stdout).toContain(line);
    }
    expect(global.stdout).toContain('cx-accounts events tail [--url <database>] --domain <id> [--after <seq>]');
    expect(global.stdout).toContain('Exit codes: 0 done, 1 the database or the work failed, 2 the command line was wrong.');
    expect(group.stdout).toContain('cx-accounts backups run [--url <database>] [--once] [--interval-ms <ms>] [--limit <jobs>] [--json]');
    expect(group.stdout).not.toContain('events tail');
  });
});

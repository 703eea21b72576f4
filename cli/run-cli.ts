import { parseArgs } from 'node:util';
import { backupsRunCommand, type SignalSource } from './backups-run-command.js';
import { EXIT, type CliIo } from './cli-io.js';
import { databaseTarget } from './database-url.js';
import { eventsTailCommand } from './events-tail-command.js';
import { migrateCommand } from './migrate-command.js';
import { webhooksRunCommand } from './webhooks-run-command.js';

export const USAGE = `Usage:
  cx-accounts migrate --url <database>
  cx-accounts backups run --url <database> [--once] [--interval-ms <ms>] [--limit <jobs>]
  cx-accounts events tail --url <database> --domain <id> [--after <seq>] [--once] [--interval-ms <ms>]
  cx-accounts webhooks run --url <database> [--once] [--interval-ms <ms>] [--allow-http] [--allow-private-networks]

<database>: a file path or sqlite:<file> (SQLite), postgres://… (PostgreSQL), mysql://… (MySQL, MariaDB).
The URL may also come from the CX_DATABASE_URL environment variable.

  migrate       bring the cx-accounts tables up to date, then exit
  backups run   run pending history backups (the manual runner) until SIGTERM or SIGINT;
                --once runs one round; --interval-ms pauses between rounds (default 5000);
                --limit caps the jobs of a round (default 10)
  events tail   print a domain's events after --after (default 0) as JSON lines, then follow
                the log until SIGTERM or SIGINT; --once prints what there is and exits;
                --interval-ms pauses between reads that found nothing (default 1000)
  webhooks run  deliver pending webhook events (the manual runner) until SIGTERM or SIGINT;
                --once runs one round; --interval-ms pauses between idle rounds (default 1000);
                --allow-http, --allow-private-networks as webhooks.allowHttp, allowPrivateNetworks
`;

/**
 * Runs the command line `argv` (without `node` and the script) and answers the exit code.
 * Never throws: a wrong command line answers 2 with the usage, a failure 1 with its reason.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { out: console.log, error: console.error }, process);
 * ```
 */
export async function runCli(argv: string[], io: CliIo, signals: SignalSource, env: Record<string, string | undefined> = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        once: { type: 'boolean', default: false },
        'interval-ms': { type: 'string' },
        limit: { type: 'string' },
        domain: { type: 'string' },
        after: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        'allow-http': { type: 'boolean', default: false },
        'allow-private-networks': { type: 'boolean', default: false },
      },
    });
  } catch (thrown) {
    return usageError(io, thrown instanceof Error ? thrown.message : String(thrown));
  }
  const { values, positionals } = parsed;
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    io.out(USAGE);
    return values.help || command === 'help' ? EXIT.ok : EXIT.usage;
  }
  if (command !== 'migrate' && command !== 'backups run' && command !== 'events tail' && command !== 'webhooks run') return usageError(io, `unknown command '${command}'`);

  const url = values.url ?? env['CX_DATABASE_URL'];
  if (url === undefined) return usageError(io, `${command} needs --url <database> (or CX_DATABASE_URL)`);
  const target = databaseTarget(url);
  if (typeof target === 'string') return usageError(io, target);

  if (command !== 'events tail') {
    const misplaced = (['domain', 'after'] as const).filter((name) => values[name] !== undefined);
    if (misplaced.length > 0) return usageError(io, `${command} does not take --${misplaced.join(', --')}`);
  }
  if (command === 'events tail') {
    if (values.domain === undefined) return usageError(io, 'events tail needs --domain <id>');
    if (values.limit !== undefined) return usageError(io, 'events tail does not take --limit');
    const after = values.after === undefined ? 0 : /^\d+$/.test(values.after) ? Number(values.after) : null;
    if (after === null || !Number.isSafeInteger(after)) return usageError(io, `--after must be a whole number ≥ 0, got '${values.after}'`);
    const intervalMs = positiveInteger(values['interval-ms'], 1000);
    if (intervalMs === null) return usageError(io, `--interval-ms must be a whole number of milliseconds ≥ 1, got '${values['interval-ms']}'`);
    return eventsTailCommand(target, { domainId: values.domain, after, once: values.once === true, intervalMs }, io, signals);
  }
  if (command === 'webhooks run') {
    const intervalMs = positiveInteger(values['interval-ms'], 1000);
    if (intervalMs === null) return usageError(io, `--interval-ms must be a whole number of milliseconds ≥ 1, got '${values['interval-ms']}'`);
    if (values.limit !== undefined) return usageError(io, 'webhooks run does not take --limit');
    const options = { once: values.once === true, intervalMs, allowHttp: values['allow-http'] === true, allowPrivateNetworks: values['allow-private-networks'] === true };
    return webhooksRunCommand(url, target, options, io, signals);
  }
  if (command === 'migrate') {
    const extra = (['once', 'interval-ms', 'limit'] as const).filter((name) => values[name] !== undefined && values[name] !== false);
    if (extra.length > 0) return usageError(io, `migrate takes only --url, not --${extra.join(', --')}`);
    return migrateCommand(url, target, io);
  }
  const intervalMs = positiveInteger(values['interval-ms'], 5000);
  const limit = positiveInteger(values.limit, 10);
  if (intervalMs === null) return usageError(io, `--interval-ms must be a whole number of milliseconds ≥ 1, got '${values['interval-ms']}'`);
  if (limit === null) return usageError(io, `--limit must be a whole number ≥ 1, got '${values.limit}'`);
  return backupsRunCommand(url, target, { once: values.once === true, intervalMs, limit }, io, signals);
}

function positiveInteger(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  return /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : null;
}

function usageError(io: CliIo, message: string): number {
  io.error(`cx-accounts: ${message}`);
  io.error(USAGE);
  return EXIT.usage;
}

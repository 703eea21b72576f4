import type { BackupRunReport } from '../src/history/backup-runner.js';
import { defineCommand } from './cli-command.js';
import { EXIT } from './cli-io.js';
import { MAX_TIMER_MS, flag, wholeNumber } from './cli-option.js';
import { runInRounds } from './run-in-rounds.js';

/** Jobs one `runPendingBackups` call may handle at most (its `limit` bound). */
const MAX_BACKUP_BATCH = 10_000;

/**
 * `cx-accounts backups run`: the manual backup runner as a worker process. Each round calls
 * `cx.history.runPendingBackups({ limit })` (pending jobs, stale ones, expired files); between
 * rounds that left nothing to do it waits `--interval-ms`. SIGTERM or SIGINT (or its output
 * closing) lets the round in progress finish, then closes the store and exits 0.
 */
export const backupsRunCommand = defineCommand({
  words: ['backups', 'run'],
  summary: 'run pending history backups (the manual runner) in rounds until SIGTERM or SIGINT',
  details: [
    'Runs pending history backups (the manual runner) in rounds: each round calls',
    'cx.history.runPendingBackups({ limit }), which also takes over jobs whose runner died and deletes',
    'expired files. A full round goes on at once; otherwise it waits --interval-ms. SIGTERM or SIGINT',
    'lets the round in progress finish, then exits 0.',
  ].join('\n'),
  database: 'existing',
  untilSignal: true,
  options: {
    once: flag('run one round, then exit'),
    'interval-ms': wholeNumber({ placeholder: '<ms>', min: 1, max: MAX_TIMER_MS, fallback: 5000, help: 'pause between rounds that left nothing to do' }),
    limit: wholeNumber({ placeholder: '<jobs>', min: 1, max: MAX_BACKUP_BATCH, fallback: 10, help: 'jobs one round handles at most' }),
    json: flag('print one JSON object a line: {"event": "watching" | "round" | "stopped", …}'),
  },
  async run(context) {
    const { values, database, fail } = context;
    // Loaded here: a wrong command line is answered without loading the library.
    const { openOperatorSession } = await import('./operator-session.js');
    const session = await openOperatorSession(database.target, fail);
    if (session === null) return EXIT.failure;
    const { limit } = values;
    return runInRounds(session, context, { once: values.once, json: values.json, intervalMs: values['interval-ms'] }, {
      name: 'backups run',
      round: () => session.cx.history.runPendingBackups({ limit }),
      didSomething: (report) => handled(report) > 0,
      // A full round may leave more work: go on at once.
      goOnAtOnce: (report) => handled(report) >= limit,
      counts,
      summary,
      watching: { limit },
    });
  },
});

/** Jobs a round finished or failed, and files it deleted. */
function handled(report: BackupRunReport): number {
  return report.ready + report.failed + report.deleted;
}

function counts(report: BackupRunReport): { ready: number; failed: number; skipped: number; deleted: number } {
  return { ready: report.ready, failed: report.failed, skipped: report.skipped, deleted: report.deleted };
}

function summary(report: BackupRunReport): string {
  return `${report.ready} ready, ${report.failed} failed, ${report.skipped} skipped, ${report.deleted} deleted`;
}

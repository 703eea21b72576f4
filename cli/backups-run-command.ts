import type { BackupRunReport } from '../src/history/backup-runner.js';
import { EXIT, type CliIo } from './cli-io.js';
import { openOperatorSession } from './operator-session.js';
import { redactedUrl, type DatabaseTarget } from './database-url.js';

/** Options of `cx-accounts backups run`. */
export type BackupsRunOptions = {
  /** Run one round and exit. */
  once: boolean;
  /** Pause between rounds that found nothing more to do, in milliseconds. */
  intervalMs: number;
  /** Jobs one round handles at most. */
  limit: number;
};

/** Something that delivers SIGTERM and SIGINT (the process, in production). */
export type SignalSource = Pick<NodeJS.Process, 'once' | 'off'>;

/**
 * `cx-accounts backups run --url <database> [--once]`: the manual backup runner as a worker
 * process. Each round calls `cx.history.runPendingBackups({ limit })` (pending jobs, stale
 * ones, expired files); between rounds it waits `intervalMs`. SIGTERM or SIGINT lets the round
 * in progress finish, then closes the store and exits 0. Answers the exit code.
 */
export async function backupsRunCommand(url: string, target: DatabaseTarget, options: BackupsRunOptions, io: CliIo, signals: SignalSource): Promise<number> {
  const session = await openOperatorSession('backups run', target, io);
  if (session === null) return EXIT.failure;
  const { store, cx } = session;

  let stopSignal: string | null = null;
  let wake: (() => void) | null = null;
  const stop = (signal: string) => {
    stopSignal ??= signal;
    wake?.();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  signals.once('SIGTERM', onTerm);
  signals.once('SIGINT', onInt);
  if (!options.once) io.out(`cx-accounts backups run: watching ${redactedUrl(url)} every ${options.intervalMs} ms`);
  try {
    for (;;) {
      const round = await cx.history.runPendingBackups({ limit: options.limit });
      if (round.isErr()) {
        io.error(`cx-accounts backups run: ${round.error.code}: ${round.error.message}`);
        return EXIT.failure;
      }
      if (options.once || didSomething(round.value)) io.out(`cx-accounts backups run: ${summary(round.value)}`);
      if (options.once || stopSignal) break;
      // A full round may leave more work: go on at once; otherwise wait (a signal cuts it short).
      if (round.value.ready + round.value.failed + round.value.deleted < options.limit) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      if (stopSignal) break;
    }
    if (stopSignal) io.out(`cx-accounts backups run: ${stopSignal} received, stopped after the current round`);
    return EXIT.ok;
  } finally {
    signals.off('SIGTERM', onTerm);
    signals.off('SIGINT', onInt);
    await store.close().catch(() => undefined);
  }
}

function didSomething(report: BackupRunReport): boolean {
  return report.ready + report.failed + report.deleted > 0;
}

function summary(report: BackupRunReport): string {
  return `${report.ready} ready, ${report.failed} failed, ${report.skipped} skipped, ${report.deleted} deleted`;
}

import { EXIT, type CliIo } from './cli-io.js';
import { openOperatorSession } from './operator-session.js';
import type { SignalSource } from './backups-run-command.js';
import type { DatabaseTarget } from './database-url.js';

/** Options of `cx-accounts events tail`. */
export type EventsTailOptions = {
  domainId: string;
  /** Print events with `seq` greater than this. */
  after: number;
  /** Print what there is, then exit, instead of following. */
  once: boolean;
  /** Pause between reads that found nothing new, in milliseconds. */
  intervalMs: number;
};

/**
 * `cx-accounts events tail --url <database> --domain <id> [--after N] [--once]`: prints a
 * domain's events as JSON lines, oldest first, then follows the log (R30–R32). `seq` never goes
 * back, so a consumer that remembers the last `seq` it read resumes with `--after <seq>`.
 * SIGTERM or SIGINT stops it after the page in hand. Answers the exit code.
 */
export async function eventsTailCommand(target: DatabaseTarget, options: EventsTailOptions, io: CliIo, signals: SignalSource): Promise<number> {
  const session = await openOperatorSession('events tail', target, io);
  if (session === null) return EXIT.failure;
  const { store, cx } = session;
  let stopped = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  signals.once('SIGTERM', stop);
  signals.once('SIGINT', stop);
  let after = options.after;
  try {
    while (!stopped) {
      const page = await cx.events.read(options.domainId, { after, limit: 1000 });
      if (page.isErr()) {
        io.error(`cx-accounts events tail: ${page.error.code}: ${page.error.message}`);
        return EXIT.failure;
      }
      for (const event of page.value.events) {
        io.out(JSON.stringify(event));
        after = event.seq;
      }
      if (after < page.value.lastSeq) continue;
      if (options.once) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    return EXIT.ok;
  } finally {
    signals.off('SIGTERM', stop);
    signals.off('SIGINT', stop);
    await store.close().catch(() => undefined);
  }
}

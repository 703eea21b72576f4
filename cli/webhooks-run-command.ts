import type { DeliveryReport } from '../src/webhooks/delivery-runner.js';
import type { SignalSource } from './backups-run-command.js';
import { EXIT, type CliIo } from './cli-io.js';
import { redactedUrl, type DatabaseTarget } from './database-url.js';
import { openOperatorSession } from './operator-session.js';

/** Options of `cx-accounts webhooks run`. */
export type WebhooksRunOptions = {
  /** Run one round and exit. */
  once: boolean;
  /** Pause between rounds that delivered nothing, in milliseconds. */
  intervalMs: number;
  /** `webhooks.allowHttp` and `webhooks.allowPrivateNetworks` of the runner (R53, R55). */
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
};

/**
 * `cx-accounts webhooks run --url <database> [--once]`: the manual delivery runner (R54) as a
 * worker process. Each round calls `cx.webhooks.runPendingDeliveries()`; any number of these
 * workers may run against one database (a lease per endpoint keeps each endpoint's deliveries
 * one at a time, in order). SIGTERM or SIGINT lets the round finish, closes the store, exits 0.
 */
export async function webhooksRunCommand(url: string, target: DatabaseTarget, options: WebhooksRunOptions, io: CliIo, signals: SignalSource): Promise<number> {
  const session = await openOperatorSession('webhooks run', target, io, { allowHttp: options.allowHttp, allowPrivateNetworks: options.allowPrivateNetworks });
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
  if (!options.once) io.out(`cx-accounts webhooks run: watching ${redactedUrl(url)} every ${options.intervalMs} ms`);
  try {
    for (;;) {
      const round = await cx.webhooks.runPendingDeliveries();
      if (round.isErr()) {
        io.error(`cx-accounts webhooks run: ${round.error.code}: ${round.error.message}`);
        // A worker outlives a database that is away for a moment; anything else is a failure.
        if (round.error.code !== 'store_failure' || options.once) return EXIT.failure;
      }
      const busy = round.isOk() && round.value.delivered + round.value.failed > 0;
      if (round.isOk() && (options.once || busy)) io.out(`cx-accounts webhooks run: ${summary(round.value)}`);
      if (options.once || stopSignal) break;
      if (!busy) {
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
    if (stopSignal) io.out(`cx-accounts webhooks run: ${stopSignal} received, stopped after the current round`);
    return EXIT.ok;
  } finally {
    signals.off('SIGTERM', onTerm);
    signals.off('SIGINT', onInt);
    await store.close().catch(() => undefined);
  }
}

function summary(report: DeliveryReport): string {
  return `${report.delivered} delivered, ${report.failed} failed, ${report.disabled} disabled, ${report.skipped} skipped`;
}

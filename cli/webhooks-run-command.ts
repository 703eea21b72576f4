import type { DeliveryReport } from '../src/webhooks/delivery-runner.js';
import { defineCommand } from './cli-command.js';
import { EXIT } from './cli-io.js';
import { MAX_TIMER_MS, flag, wholeNumber } from './cli-option.js';
import { runInRounds } from './run-in-rounds.js';

/**
 * `cx-accounts webhooks run`: the manual delivery runner (R54) as a worker process. Each round
 * calls `cx.webhooks.runPendingDeliveries()`; any number of these workers may run against one
 * database (a lease per endpoint keeps each endpoint's deliveries one at a time, in order).
 * SIGTERM or SIGINT (or its output closing) lets the round finish, closes the store, exits 0.
 */
export const webhooksRunCommand = defineCommand({
  words: ['webhooks', 'run'],
  summary: 'deliver pending webhook events (the manual runner) in rounds until SIGTERM or SIGINT',
  details: [
    'Delivers pending webhook events (the manual runner) in rounds: each round calls',
    'cx.webhooks.runPendingDeliveries(). A round that delivered something is followed at once;',
    'otherwise it waits --interval-ms. A store failure is printed and retried (not with --once).',
    'SIGTERM or SIGINT lets the round in progress finish, then exits 0.',
  ].join('\n'),
  database: 'existing',
  untilSignal: true,
  options: {
    once: flag('run one round, then exit'),
    'interval-ms': wholeNumber({ placeholder: '<ms>', min: 1, max: MAX_TIMER_MS, fallback: 1000, help: 'pause between rounds that delivered nothing' }),
    'allow-http': flag('deliver to http: URLs too (webhooks.allowHttp)'),
    'allow-private-networks': flag('deliver to loopback and private addresses too (webhooks.allowPrivateNetworks)'),
    json: flag('print one JSON object a line: {"event": "watching" | "round" | "stopped", …}'),
  },
  async run(context) {
    const { values, database, fail } = context;
    // Loaded here: a wrong command line is answered without loading the library.
    const { openOperatorSession } = await import('./operator-session.js');
    const session = await openOperatorSession(database.target, fail, {
      allowHttp: values['allow-http'],
      allowPrivateNetworks: values['allow-private-networks'],
    });
    if (session === null) return EXIT.failure;
    return runInRounds(session, context, { once: values.once, json: values.json, intervalMs: values['interval-ms'] }, {
      name: 'webhooks run',
      round: () => session.cx.webhooks.runPendingDeliveries(),
      // A worker outlives a database that is away for a moment.
      retry: (error) => error.code === 'store_failure',
      didSomething: busy,
      goOnAtOnce: busy,
      counts,
      summary,
    });
  },
});

/** A round that delivered or failed something: more may be waiting. */
function busy(report: DeliveryReport): boolean {
  return report.delivered + report.failed > 0;
}

function counts(report: DeliveryReport) {
  return { delivered: report.delivered, failed: report.failed, disabled: report.disabled, skipped: report.skipped };
}

function summary(report: DeliveryReport): string {
  return `${report.delivered} delivered, ${report.failed} failed, ${report.disabled} disabled, ${report.skipped} skipped`;
}

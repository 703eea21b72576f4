import type { ResultAsync } from 'neverthrow';
import type { CxError } from '../src/errors.js';
import type { CommandContext } from './cli-command.js';
import { EXIT } from './cli-io.js';
import type { OperatorSession } from './operator-session.js';
import { pause } from './pause.js';

/** What a worker command (`backups run`, `webhooks run`) says about its rounds. */
export type Rounds<R> = {
  /** The command's words, for its lines of text: `'backups run'`. */
  name: string;
  /** One round of work: one call of the library's runner. */
  round: () => ResultAsync<R, CxError>;
  /** Whether a failed round is retried after the pause (else the command fails); never with `--once`. */
  retry?: (error: CxError) => boolean;
  /** Whether the round did something, and is printed (every round is, with `--once`). */
  didSomething: (report: R) => boolean;
  /** Whether more work may be waiting, so the next round goes on at once, without the pause. */
  goOnAtOnce: (report: R) => boolean;
  /** The round's figures, for the `round` line, and their text. */
  counts: (report: R) => Record<string, number>;
  summary: (report: R) => string;
  /** Fields of the `watching` line beyond the database and the interval. */
  watching?: Record<string, unknown>;
};

/**
 * Runs rounds until the command is stopped (SIGTERM, SIGINT, its output closing) or, with
 * `once`, one round; between rounds that leave nothing waiting it pauses `intervalMs` (a stop
 * cuts the pause short). Prints a `watching`, a `round` and a `stopped` line, as text or as
 * one JSON object a line, and closes the session's store at the end. Answers the exit code.
 */
export async function runInRounds<R>(
  session: OperatorSession,
  context: Pick<CommandContext<unknown>, 'database' | 'io' | 'stop' | 'fail'>,
  options: { once: boolean; json: boolean; intervalMs: number },
  rounds: Rounds<R>,
): Promise<number> {
  const { database, io, stop, fail } = context;
  const { once, json, intervalMs } = options;
  const print = (event: Record<string, unknown>, text: string) => io.out(json ? JSON.stringify(event) : `cx-accounts ${rounds.name}: ${text}`);
  if (!once) print({ event: 'watching', database: database.shown, intervalMs, ...rounds.watching }, `watching ${database.shown} every ${intervalMs} ms`);
  try {
    for (;;) {
      const round = await rounds.round();
      if (round.isErr()) {
        fail(`${round.error.code}: ${round.error.message}`);
        // A worker may outlive a database that is away for a moment; anything else is a failure.
        if (once || !(rounds.retry?.(round.error) ?? false)) return EXIT.failure;
      } else if (once || rounds.didSomething(round.value)) {
        print({ event: 'round', ...rounds.counts(round.value) }, rounds.summary(round.value));
      }
      if (once || stop.aborted) break;
      if (!(round.isOk() && rounds.goOnAtOnce(round.value))) await pause(intervalMs, stop);
      if (stop.aborted) break;
    }
    if (stop.aborted && stop.reason !== 'EPIPE') {
      print({ event: 'stopped', signal: String(stop.reason) }, `${String(stop.reason)} received, stopped after the current round`);
    }
    return EXIT.ok;
  } finally {
    await session.store.close().catch(() => undefined);
  }
}

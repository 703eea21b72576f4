import { ok, type Result } from 'neverthrow';
import type { CxError } from '../errors.js';
import type { EventRecord } from '../ports/records.js';
import type { Store } from '../ports/store.js';
import { transact } from '../run-transaction.js';
import type { CxEvent } from './cx-event.js';

/** Events read per transaction while a subscriber catches up. */
const PAGE = 500;
/** How often a subscription on a store without `watchEvents` looks for new events. */
export const FALLBACK_POLL_MS = 1000;
/** Pause before reading again after a failed read (a lost connection, a busy database). */
const RETRY_MS = 1000;

/** The public event of a stored one (the store keeps types as strings). */
export function toCxEvent(record: EventRecord): CxEvent {
  const { seq, domainId, type, accountId, accountUid, at, actor, data } = record;
  return { seq, domainId, type, accountId, accountUid, at, actor, data } as CxEvent;
}

/** Events with `seq > after`, up to the domain's last committed `seq`, read in one transaction. */
export function readEventsAfter(store: Store, domainId: string, after: number, limit: number): Promise<Result<EventRecord[], CxError>> {
  return transact(store, domainId, 'read', async (tx) => {
    const lastSeq = await tx.lastEventSeq();
    const records = await tx.readEvents(after, limit);
    return ok(records.filter((record) => record.seq <= lastSeq));
  });
}

/**
 * The events of a domain with `seq > after`, in `seq` order, then each new one as it commits
 * (R52). A store's `watchEvents` wakes it; it re-reads from the last `seq` it yielded on every
 * wake-up, so a lost or doubled wake-up loses or repeats nothing. It ends (without error) when
 * `signal` aborts, the store closes, or the consumer stops iterating.
 */
export function eventSubscription(store: Store, domainId: string, after: number, signal: AbortSignal | undefined): AsyncIterable<CxEvent> {
  return {
    [Symbol.asyncIterator]: () => subscriptionIterator(store, domainId, after, signal),
  };
}

async function* subscriptionIterator(store: Store, domainId: string, after: number, signal: AbortSignal | undefined): AsyncGenerator<CxEvent> {
  let cursor = after;
  let dirty = true;
  let ended = signal?.aborted ?? false;
  let release: (() => void) | null = null;
  const rouse = () => {
    const resolve = release;
    release = null;
    resolve?.();
  };
  const end = () => {
    ended = true;
    rouse();
  };
  signal?.addEventListener('abort', end, { once: true });
  const unwatch = store.watchEvents
    ? store.watchEvents(domainId, {
        wake: () => {
          dirty = true;
          rouse();
        },
        closed: end,
      })
    : null;
  /** Waits for a wake-up, or `ms` (the fallback poll, a retry), or the end. */
  const pause = (ms: number | null) =>
    new Promise<void>((resolve) => {
      const timer = ms === null ? null : setTimeout(() => {
        dirty = true;
        rouse();
      }, ms);
      release = () => {
        if (timer !== null) clearTimeout(timer);
        resolve();
      };
    });
  try {
    while (!ended) {
      if (!dirty) {
        await pause(unwatch ? null : FALLBACK_POLL_MS);
        continue;
      }
      dirty = false;
      const read = await readEventsAfter(store, domainId, cursor, PAGE);
      if (ended) break;
      if (read.isErr()) {
        // A store that closed says so through `closed`; anything else may pass: try again.
        dirty = true;
        await pause(RETRY_MS);
        continue;
      }
      for (const record of read.value) {
        // Never past a gap: seq is gap-free in commit order, so a gap is a read to repeat.
        if (record.seq !== cursor + 1) {
          dirty = true;
          break;
        }
        cursor = record.seq;
        yield toCxEvent(record);
        if (ended) break;
      }
      if (read.value.length === PAGE) dirty = true;
    }
  } finally {
    signal?.removeEventListener('abort', end);
    unwatch?.();
    rouse();
  }
}

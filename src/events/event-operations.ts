import { ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import type { OperationContext } from '../operation-context.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import type { CxEvent } from './cx-event.js';
import { eventSubscription, toCxEvent } from './event-subscription.js';

/**
 * A page of a domain's events (R32).
 *
 * @category Events
 */
export type EventPage = {
  /** Events with `seq > after`, in `seq` order. */
  events: CxEvent[];
  /** The domain's highest `seq` when the page was read (0 when it has none). */
  lastSeq: number;
};

const readOptionsSchema = z
  .strictObject({
    after: z.number().int('must be a whole number').min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.number().int('must be a whole number').min(1).max(1000).optional(),
  })
  .optional();

/**
 * The `events` operations: the domain's log of changes (R30–R32).
 *
 * @category Events
 */
export type EventOperations = {
  /**
   * The events with `seq > after` (default 0) in `seq` order, at most `limit` (1–1000, default
   * 100), and the domain's `lastSeq`. A consumer keeps the last `seq` it handled and asks for
   * what comes after: `seq` is gap-free and in commit order, so nothing is skipped.
   *
   * @example
   * ```ts
   * let after = 0; // load it from where your consumer saved it
   * const page = await cx.events.read('acme', { after, limit: 500 });
   * if (page.isOk()) {
   *   for (const event of page.value.events) {
   *     console.log(event.seq, event.type, event.accountId);
   *     after = event.seq;
   *   }
   * }
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `after` or `limit` is malformed.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  read(domainId: string, options?: { after?: number; limit?: number }): ResultAsync<EventPage, OperationError<'events.read'>>;
  /**
   * The domain's events with `seq > after` (default: the current `lastSeq`, so only new ones)
   * as an async iterable (R52): the past first, then each new event as it commits, in `seq`
   * order, with no gap and no repeat. It ends without error when `signal` aborts or the store
   * closes; `break` out of the loop ends it too. Subscribers of one store share one listener
   * (PostgreSQL LISTEN/NOTIFY) or poller (SQLite, MySQL/MariaDB: commits of this process wake
   * it at once, other processes' within a poll). A failed read is tried again after a second.
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * const subscribed = await cx.events.subscribe('acme', { after: 0, signal: controller.signal });
   * if (subscribed.isOk()) {
   *   for await (const event of subscribed.value) {
   *     console.log(event.seq, event.type);
   *     if (event.type === 'account.reset') controller.abort();
   *   }
   * }
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `after` or `signal` is malformed.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  subscribe(domainId: string, options?: SubscribeOptions): ResultAsync<AsyncIterable<CxEvent>, OperationError<'events.subscribe'>>;
};

/**
 * Options of {@link EventOperations.subscribe}.
 *
 * @category Events
 */
export type SubscribeOptions = {
  /** Start after this `seq` (0: from the first event); default the domain's current `lastSeq`. */
  after?: number;
  /** Aborting it ends the iteration. */
  signal?: AbortSignal;
};

const subscribeOptionsSchema = z
  .strictObject({
    after: z.number().int('must be a whole number').min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    signal: z.custom<AbortSignal>((value) => typeof AbortSignal !== 'undefined' && value instanceof AbortSignal, 'must be an AbortSignal').optional(),
  })
  .optional();

export function eventOperations(context: OperationContext): EventOperations {
  return narrowed<EventOperations>({
    read: (domainId, options) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const parsed = take(parseInput(readOptionsSchema, options, 'options'));
        return await transact(context.store, domain, 'read', async (tx) => {
          const lastSeq = await tx.lastEventSeq();
          const records = await tx.readEvents(parsed?.after ?? 0, parsed?.limit ?? 100);
          return ok({ events: records.filter((record) => record.seq <= lastSeq).map(toCxEvent), lastSeq });
        });
      }),
    subscribe: (domainId, options) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const parsed = take(parseInput(subscribeOptionsSchema, options, 'options'));
        const after = parsed?.after ?? take(await transact(context.store, domain, 'read', async (tx) => ok(await tx.lastEventSeq())));
        return ok(eventSubscription(context.store, domain, after, parsed?.signal));
      }),
  });
}

import { ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import type { OperationContext } from '../operation-context.js';
import type { EventRecord } from '../ports/records.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import type { CxEvent } from './cx-event.js';

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
};

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
  });
}

/** The public event of a stored one (the store keeps types as strings). */
function toCxEvent(record: EventRecord): CxEvent {
  const { seq, domainId, type, accountId, accountUid, at, actor, data } = record;
  return { seq, domainId, type, accountId, accountUid, at, actor, data } as CxEvent;
}

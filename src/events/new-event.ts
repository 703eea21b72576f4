import type { OperationContext } from '../operation-context.js';
import type { EventDraft } from '../ports/records.js';
import type { CxEventData, CxEventType } from './cx-event.js';

/** The account an event is about: its ID and uid (the store's key). */
type EventAccount = { id: string; key: string } | null;

/**
 * An event of `type` for the store to append, stamped with the clock's time and the actor of
 * the call (R30, R33). Typed: `data` must hold what R31 names for `type`.
 */
export function newEvent<T extends CxEventType>(
  context: Pick<OperationContext, 'clock' | 'actor'>,
  type: T,
  account: EventAccount,
  data: CxEventData[T],
): EventDraft {
  return {
    type,
    accountId: account?.id ?? null,
    accountUid: account?.key ?? null,
    at: context.clock(),
    actor: context.actor,
    data,
  };
}

import type { CxEvent } from '../src/events/cx-event.js';

/**
 * What a domain's events say about it, rebuilt from `seq` 1 (R32): products, the agents and
 * product of every active account, and each member's access.
 *
 * @category Stores
 */
export type ReplayedDomain = {
  products: Map<string, { seatLimit: number; quantity: number }>;
  /** Active accounts by ID. */
  accounts: Map<string, { uid: string; productId: string; agentIds: string[] }>;
  /** Member → IDs of the active accounts it is an agent of, sorted. */
  access: Map<string, string[]>;
};

/**
 * Rebuilds a domain from its events, in `seq` order. Throws on an event that contradicts what
 * came before (an agent removed that was not one, a change of an unknown account): a replay
 * that cannot be done is a broken log.
 *
 * @example
 * ```ts
 * const page = await cx.events.read('acme', { limit: 1000 });
 * if (page.isOk()) console.log(replayEvents(page.value.events).accounts.get('help')?.agentIds);
 * ```
 *
 * @category Stores
 */
export function replayEvents(events: readonly CxEvent[]): ReplayedDomain {
  const products = new Map<string, { seatLimit: number; quantity: number }>();
  const byUid = new Map<string, { id: string; productId: string; agentIds: string[] }>();
  const accountOf = (event: CxEvent) => {
    const account = event.accountUid === null ? undefined : byUid.get(event.accountUid);
    if (!account) throw new Error(`event ${event.seq} (${event.type}) names an account the log does not know`);
    return account;
  };
  for (const event of events) {
    switch (event.type) {
      case 'product.set':
        products.set(event.data.productId, { seatLimit: event.data.seatLimit, quantity: event.data.quantity });
        break;
      case 'account.created':
        byUid.set(event.accountUid!, { id: event.accountId!, productId: event.data.productId, agentIds: [...event.data.agentIds] });
        break;
      case 'account.product_changed':
        accountOf(event).productId = event.data.to;
        break;
      case 'agents.added': {
        const account = accountOf(event);
        for (const id of event.data.memberIds) {
          if (account.agentIds.includes(id)) throw new Error(`event ${event.seq} adds ${id} twice`);
          account.agentIds.push(id);
        }
        break;
      }
      case 'agents.removed': {
        const account = accountOf(event);
        for (const id of event.data.memberIds) {
          if (!account.agentIds.includes(id)) throw new Error(`event ${event.seq} removes ${id}, not an agent`);
        }
        account.agentIds = account.agentIds.filter((id) => !event.data.memberIds.includes(id));
        break;
      }
      case 'account.reset':
        accountOf(event);
        byUid.delete(event.accountUid!);
        break;
      default:
        break;
    }
  }
  const accounts = new Map<string, { uid: string; productId: string; agentIds: string[] }>();
  const access = new Map<string, string[]>();
  for (const [uid, account] of byUid) {
    accounts.set(account.id, { uid, productId: account.productId, agentIds: account.agentIds });
    for (const member of account.agentIds) access.set(member, [...(access.get(member) ?? []), account.id]);
  }
  for (const ids of access.values()) ids.sort();
  return { products, accounts, access };
}

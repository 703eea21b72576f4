import type { CxAccounts } from '../../src/cx-accounts.js';
import { FIXTURE_MEMBERS } from '../../testing/conformance-fixture.js';
import { readAllEvents } from '../../testing/conformance/events.js';
import { replayEvents } from '../../testing/event-replay.js';

/** The domains the property tests use. */
export const DOMAINS = ['acme', 'globex'] as const;

/** Reads everything the invariants need, through the public API only. */
export async function observe(cx: CxAccounts) {
  const domains = [];
  for (const domainId of DOMAINS) {
    const overview = (await cx.products.overview(domainId))._unsafeUnwrap();
    const accounts = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<CxAccounts['accounts']['list']>> = await cx.accounts.list(domainId, { limit: 200, cursor });
      const { items, nextCursor } = page._unsafeUnwrap();
      for (const item of items) {
        const account = (await cx.accounts.get(domainId, item.id))._unsafeUnwrap();
        const rooms = (await cx.conversations.rooms(domainId, item.id))._unsafeUnwrap();
        const contacts = (await cx.conversations.contacts(domainId, item.id, { limit: 500 }))._unsafeUnwrap().items;
        accounts.push({ ...account, rooms, contacts });
      }
      cursor = nextCursor;
    } while (cursor);
    const history = (await cx.conversations.history(domainId, { limit: 500 }))._unsafeUnwrap().items;
    const events = await readAllEvents(cx, domainId);
    const access = new Map<string, { hasAccess: boolean; accountIds: string[] }>();
    for (const member of FIXTURE_MEMBERS.filter((m) => m.domainId === domainId)) {
      access.set(member.id, (await cx.agents.access(domainId, member.id))._unsafeUnwrap());
    }
    domains.push({ domainId, overview, accounts, access, history, events });
  }
  return domains;
}

/**
 * The invariants of R3–R6 and R15–R17 over an observed state; answers the violations found
 * (an empty list when all hold).
 */
export function violations(state: Awaited<ReturnType<typeof observe>>): string[] {
  const found: string[] = [];
  const allIds = new Set<string>();
  for (const { domainId, overview, accounts, access, events } of state) {
    // R30: seq 1, 2, 3, … with no gap and no repeat.
    if (events.some((event, index) => event.seq !== index + 1)) found.push(`${domainId}: event seq has a gap or a repeat`);
    // R32: the events rebuild products, agents and access as the operations answer them.
    let replayed;
    try {
      replayed = replayEvents(events);
    } catch (error) {
      found.push(`${domainId}: replay failed: ${(error as Error).message}`);
    }
    if (replayed) {
      for (const product of overview.products) {
        const seen = replayed.products.get(product.productId);
        if (seen?.seatLimit !== product.seatLimit || seen?.quantity !== product.quantity) found.push(`${domainId}/${product.productId}: replay differs`);
      }
      if (replayed.accounts.size !== accounts.length) found.push(`${domainId}: replay has ${replayed.accounts.size} accounts, not ${accounts.length}`);
      for (const account of accounts) {
        const seen = replayed.accounts.get(account.id);
        if (seen?.uid !== account.uid || seen.productId !== account.productId || seen.agentIds.join() !== account.agentIds.join()) {
          found.push(`${domainId}/${account.id}: replay gives ${JSON.stringify(seen)}`);
        }
      }
      for (const [memberId, { accountIds }] of access) {
        if ((replayed.access.get(memberId) ?? []).join() !== [...accountIds].sort().join()) found.push(`${domainId}/${memberId}: replayed access differs`);
      }
    }
    const products = new Map(overview.products.map((product) => [product.productId, product]));
    const names = new Set<string>();
    const inUse = new Map<string, number>();
    for (const account of accounts) {
      const product = products.get(account.productId);
      if (!product) found.push(`${domainId}/${account.id}: product ${account.productId} missing`);
      else if (account.agentIds.length > product.seatLimit) found.push(`${domainId}/${account.id}: agents over seat limit`);
      if (account.agentIds.length < 1) found.push(`${domainId}/${account.id}: no agent`);
      if (new Set(account.agentIds).size !== account.agentIds.length) found.push(`${domainId}/${account.id}: duplicate agent`);
      if (allIds.has(account.id)) found.push(`${account.id}: ID active twice`);
      allIds.add(account.id);
      const key = account.name.normalize('NFKC').toLowerCase();
      if (names.has(key)) found.push(`${domainId}: name ${account.name} twice`);
      names.add(key);
      inUse.set(account.productId, (inUse.get(account.productId) ?? 0) + 1);
      // R36: every room of an active account has an agent, and only agents of the account.
      for (const room of account.rooms) {
        if (room.agentIds.length === 0) found.push(`${domainId}/${account.id}: room ${room.roomId} has no agent`);
        if (room.agentIds.some((id) => !account.agentIds.includes(id))) found.push(`${domainId}/${account.id}: room ${room.roomId} has a non-agent`);
      }
      if (account.agentIds.some((id) => !FIXTURE_MEMBERS.some((m) => m.id === id && m.domainId === domainId))) {
        found.push(`${domainId}/${account.id}: agent from another domain`);
      }
    }
    for (const product of overview.products) {
      const used = inUse.get(product.productId) ?? 0;
      if (product.inUse !== used) found.push(`${domainId}/${product.productId}: inUse ${product.inUse} but ${used} accounts`);
      if (used > product.quantity) found.push(`${domainId}/${product.productId}: ${used} accounts over quantity ${product.quantity}`);
    }
    if (overview.activeAccounts !== accounts.length) found.push(`${domainId}: activeAccounts ${overview.activeAccounts} ≠ ${accounts.length}`);
    for (const [memberId, { hasAccess, accountIds }] of access) {
      const expected = accounts.filter((account) => account.agentIds.includes(memberId)).map((account) => account.id);
      if (hasAccess !== expected.length > 0 || [...accountIds].sort().join() !== [...expected].sort().join()) {
        found.push(`${domainId}/${memberId}: access ${JSON.stringify(accountIds)} but agent of ${JSON.stringify(expected)}`);
      }
    }
  }
  return found;
}

/** Whether any read of the domain still answers something of `customerId` (R42). */
export function mentionsCustomer(state: Awaited<ReturnType<typeof observe>>, domainId: string, customerId: string): boolean {
  const domain = state.find((entry) => entry.domainId === domainId)!;
  return (
    domain.history.some((message) => message.customerId === customerId) ||
    domain.accounts.some((account) => account.contacts.some((contact) => contact.customerId === customerId) || account.rooms.some((room) => room.customerId === customerId)) ||
    JSON.stringify(domain.events).includes(`Name ${customerId}`)
  );
}

import type { CxAccounts } from '../../src/cx-accounts.js';
import { FIXTURE_MEMBERS } from '../conformance-fixture.js';

/**
 * Everything the public API shows of the fixture's two domains: products, accounts with
 * settings, rooms and contacts, every member's access, the history, the bots and the last event `seq`. Two equal snapshots mean nothing visible changed.
 */
export async function snapshot(cx: CxAccounts): Promise<unknown> {
  const domains: Record<string, unknown> = {};
  for (const domainId of ['acme', 'globex']) {
    const overview = (await cx.products.overview(domainId))._unsafeUnwrap();
    const accounts: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await cx.accounts.list(domainId, { limit: 200, cursor })
      )._unsafeUnwrap();
      for (const item of page.items) {
        const account = (await cx.accounts.get(domainId, item.id))._unsafeUnwrap();
        const rooms = (await cx.conversations.rooms(domainId, item.id))._unsafeUnwrap();
        const contacts = (await cx.conversations.contacts(domainId, item.id, { limit: 500 }))._unsafeUnwrap();
        accounts.push({ account, rooms, contacts });
      }
      cursor = page.nextCursor;
    } while (cursor);
    const access: Record<string, unknown> = {};
    for (const member of FIXTURE_MEMBERS.filter((member) => member.domainId === domainId)) {
      access[member.id] = (await cx.agents.access(domainId, member.id))._unsafeUnwrap();
    }
    const history = (await cx.conversations.history(domainId, { limit: 500 }))._unsafeUnwrap();
    const bots = (await cx.bots.list(domainId))._unsafeUnwrap();
    const lastSeq = (await cx.events.read(domainId, { limit: 1 }))._unsafeUnwrap().lastSeq;
    domains[domainId] = { overview, accounts, access, history, bots, lastSeq };
  }
  return domains;
}

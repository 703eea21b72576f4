/**
 * The SQL stores against the second round of the `Store` port, on all five backends: the
 * event log (R30, R32), history reads with filters and keyset paging (R39, R45), contacts
 * paging (R40), customer erasure (R42), receipts (R47), bots (R38), room handover (R36) and
 * account patches.
 */
import { err, ok } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_UNION_LIMIT } from '../../adapters/sql/queries/store-queries.js';
import { ruleError } from '../../src/errors.js';
import type { ContactPosition, ContactRecord, EventDraft, HistoryFilter, HistoryPosition, HistoryRecord, HistoryRow } from '../../src/ports/records.js';
import type { Store } from '../../src/ports/store.js';
import { checkAvailable, sqlStoreFactories, useSqlStoreCleanup, type SqlStoreFactory } from '../stores/sql-stores.js';
import { accountRecord, historyRecord, outcome, read, write } from './store-records.js';

useSqlStoreCleanup();

const factories: SqlStoreFactory[] = [];
for (const factory of sqlStoreFactories) {
  if (await checkAvailable(factory)) factories.push(factory);
  else describe.skip(factory.name, () => {});
}

const event = (type: string, data: Record<string, unknown> = {}, fields: Partial<EventDraft> = {}): EventDraft => ({
  type,
  accountId: 'help',
  accountUid: 'uid-1',
  at: new Date('2026-03-01T00:00:00.123Z'),
  actor: 'admin:u1',
  data,
  ...fields,
});

/** JavaScript order of history: sentAt, then messageId by `<`. */
const historyOrder = (a: HistoryRecord, b: HistoryRecord) =>
  a.sentAt.getTime() - b.sentAt.getTime() || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

describe.each(factories)('SQL store port, second round: $name', (factory) => {
  let store: Store & { close?(): Promise<void> };
  beforeEach(async () => {
    store = await factory.setup();
  });
  afterEach(async () => {
    await factory.teardown(store);
  });

  describe('events', () => {
    it('R30: seq counts 1, 2, 3 … per domain; refused, failed and rejected transactions leave no gap', async () => {
      expect(await read(store, 'acme', (tx) => tx.lastEventSeq())).toBe(0);
      expect(await write(store, 'acme', (tx) => tx.appendEvents([event('a'), event('b'), event('c')]))).toEqual([1, 2, 3]);
      expect(await write(store, 'acme', (tx) => tx.appendEvents([]))).toEqual([]);
      const refused = await store.transaction('acme', 'write', async (tx) => {
        await tx.appendEvents([event('refused')]);
        return err(ruleError('id_taken', 'no'));
      });
      expect(outcome(refused)).toBe('id_taken');
      const rejected = await store.transaction('acme', 'write', async (tx) => {
        await tx.appendEvents([event('rejected'), event('rejected')]);
        throw new Error('boom');
      });
      expect(outcome(rejected)).toBe('store_failure');
      const failed = await store.transaction('acme', 'write', async (tx) => {
        await tx.appendEvents([event('failed')]);
        // The same key twice: the database refuses it, the work swallows the rejection.
        await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'dup' }), null);
        await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'dup2', key: 'key-acme-dup', name: 'Other' }), null).catch(() => undefined);
        return ok(null);
      });
      expect(outcome(failed)).toBe('store_failure');
      expect(await write(store, 'acme', (tx) => tx.appendEvents([event('d')]))).toEqual([4]);
      // Two calls in one transaction go on from each other.
      expect(await write(store, 'acme', async (tx) => [...(await tx.appendEvents([event('e')])), ...(await tx.appendEvents([event('f')]))])).toEqual([5, 6]);
      // Another domain counts on its own.
      expect(await write(store, 'globex', (tx) => tx.appendEvents([event('g')]))).toEqual([1]);
      const events = await read(store, 'acme', (tx) => tx.readEvents(0, 100));
      expect(events.map((stored) => [stored.seq, stored.type])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
        [5, 'e'],
        [6, 'f'],
      ]);
      expect(await read(store, 'acme', (tx) => tx.lastEventSeq())).toBe(6);
      expect(await read(store, 'globex', (tx) => tx.lastEventSeq())).toBe(1);
      expect(await read(store, 'nobody', (tx) => tx.lastEventSeq())).toBe(0);
    });

    it('R32: events keep every field; readEvents pages by seq', async () => {
      const data = { memberIds: ['u1', 'ü2'], nested: { n: 1.5, flag: true, none: null }, text: 'quote " back \\ 상담' };
      const drafts = Array.from({ length: 25 }, (_, index) =>
        event(`t${index}`, { ...data, index }, index % 2 ? { accountId: null, accountUid: null, actor: null, at: new Date(index) } : {}),
      );
      expect(await write(store, 'acme', (tx) => tx.appendEvents(drafts))).toEqual(drafts.map((_, index) => index + 1));
      const all = await read(store, 'acme', (tx) => tx.readEvents(0, 1000));
      expect(all).toEqual(drafts.map((draft, index) => ({ ...draft, seq: index + 1, domainId: 'acme' })));
      const pages: number[][] = [];
      for (let after = 0; ; ) {
        const page = await read(store, 'acme', (tx) => tx.readEvents(after, 7));
        if (page.length === 0) break;
        pages.push(page.map((stored) => stored.seq));
        after = page.at(-1)!.seq;
      }
      expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 4]);
      expect(pages.flat()).toEqual(drafts.map((_, index) => index + 1));
      expect(await read(store, 'acme', (tx) => tx.readEvents(25, 10))).toEqual([]);
      expect(await read(store, 'globex', (tx) => tx.readEvents(0, 10))).toEqual([]);
    });

    it('R28 R30: concurrent write transactions on one domain get 1..N exactly, in commit order', async () => {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, index) =>
          store.transaction('acme', 'write', async (tx) => {
            const seqs = await tx.appendEvents([event(`w${index}`)]);
            await tx.setProduct({ productId: `p${index}`, name: 'P', seatLimit: 1, quantity: 1 });
            if (index % 5 === 4) return err(ruleError('version_conflict', 'refused'));
            return ok(seqs[0]!);
          }),
        ),
      );
      const committed = results.filter((result) => result.isOk()).map((result) => result._unsafeUnwrap());
      expect([...committed].sort((a, b) => a - b)).toEqual(Array.from({ length: committed.length }, (_, index) => index + 1));
      const events = await read(store, 'acme', (tx) => tx.readEvents(0, 100));
      expect(events.map((stored) => stored.seq)).toEqual(committed.map((_, index) => index + 1));
    });
  });

  describe('history reads', () => {
    /** Two incarnations of `help` (one reset), `sales`, and another domain; answers every message of acme. */
    const seed = async (): Promise<HistoryRecord[]> => {
      const messages: HistoryRecord[] = [];
      const oldHelp = accountRecord({ domainId: 'acme', key: 'k-help-0', id: 'help', name: 'Help' });
      const help = accountRecord({ domainId: 'acme', key: 'k-help-1', id: 'help', name: 'Help' });
      const sales = accountRecord({ domainId: 'acme', key: 'k-sales', id: 'sales', name: 'Sales' });
      const other = accountRecord({ domainId: 'globex', key: 'k-other', id: 'other' });
      const add = (accountKey: string, index: number, fields: Partial<HistoryRecord>) => {
        const record = historyRecord(accountKey, new Date(1_000 * (index % 7)), `${accountKey}-${index}`, {
          // Ids not in time order, and with case: ties are broken by JavaScript's `<`.
          messageId: `${['B', 'a', 'b', '_'][index % 4]}${String((index * 37) % 101).padStart(3, '0')}`,
          customerId: index % 3 === 0 ? 'c2' : 'c1',
          eventSeq: index,
          ...fields,
        });
        messages.push(record);
        return record;
      };
      await write(store, 'acme', async (tx) => {
        await tx.insertAccount(oldHelp, null);
        for (let index = 0; index < 12; index++) await tx.appendHistory(add(oldHelp.key, index, { accountName: 'Help (old)' }));
        await tx.markReset(oldHelp.key, new Date(5), 2);
        await tx.insertAccount(help, null);
        await tx.insertAccount(sales, null);
        for (let index = 12; index < 40; index++) {
          await tx.appendHistory(add(index % 2 ? help.key : sales.key, index, { senderKind: index % 5 ? 'customer' : 'account', channel: 'line' }));
        }
        await tx.patchAccount(sales.key, { settings: { ...sales.settings, timeZone: 'Asia/Tokyo' } }, 2);
      });
      await write(store, 'globex', async (tx) => {
        await tx.insertAccount(other, null);
        await tx.appendHistory(historyRecord(other.key, new Date(0), 'other domain', { messageId: 'A000' }));
      });
      return messages;
    };
    const ids: Record<string, string> = { 'k-help-0': 'help', 'k-help-1': 'help', 'k-sales': 'sales' };
    const expectedRows = (messages: HistoryRecord[], filter: HistoryFilter): HistoryRow[] =>
      messages
        .filter(
          (message) =>
            (filter.accountIds === undefined || filter.accountIds.includes(ids[message.accountKey]!)) &&
            (filter.customerId === undefined || message.customerId === filter.customerId) &&
            (filter.from === undefined || message.sentAt >= filter.from) &&
            (filter.to === undefined || message.sentAt < filter.to) &&
            (filter.upToEventSeq === undefined || message.eventSeq <= filter.upToEventSeq),
        )
        .sort(historyOrder)
        .map((message) => ({ ...message, accountId: ids[message.accountKey]!, timeZone: message.accountKey === 'k-sales' ? 'Asia/Tokyo' : 'Asia/Seoul' }));

    const filters: HistoryFilter[] = [
      {},
      { accountIds: ['help'] },
      { accountIds: ['sales'] },
      { accountIds: ['help', 'sales', 'nope'] },
      { accountIds: ['nope'] },
      { accountIds: [] },
      { customerId: 'c2' },
      { customerId: 'c1', accountIds: ['help'] },
      { from: new Date(2_000), to: new Date(5_000) },
      { from: new Date(3_000), accountIds: ['help'], customerId: 'c1', upToEventSeq: 30 },
      { upToEventSeq: 20 },
      { to: new Date(1) },
    ];

    it('R39 R45: every filter answers exactly its messages in (sentAt, messageId) order, on every page size, and counts them', async () => {
      const messages = await seed();
      for (const filter of filters) {
        const expected = expectedRows(messages, filter);
        expect(await read(store, 'acme', (tx) => tx.readHistory(filter, null, 500)), JSON.stringify(filter)).toEqual(expected);
        expect(await read(store, 'acme', (tx) => tx.countHistory(filter)), JSON.stringify(filter)).toBe(expected.length);
        for (const limit of [1, 3, 8]) {
          const paged: HistoryRow[] = [];
          let after: HistoryPosition | null = null;
          for (let guard = 0; guard < 100; guard++) {
            const position: HistoryPosition | null = after;
            const page: HistoryRow[] = await read(store, 'acme', (tx) => tx.readHistory(filter, position, limit));
            paged.push(...page);
            const last = page.at(-1);
            if (page.length < limit || !last) break;
            after = { sentAt: last.sentAt, messageId: last.messageId };
          }
          expect(paged, `${JSON.stringify(filter)} limit ${limit}`).toEqual(expected);
        }
      }
      expect(await read(store, 'globex', (tx) => tx.readHistory({}, null, 10))).toMatchObject([{ content: 'other domain', accountId: 'other' }]);
    });

    it(`R39: an account filter of more than ${HISTORY_UNION_LIMIT} accounts reads one range, in the same order`, async () => {
      const count = HISTORY_UNION_LIMIT + 3;
      const expected: HistoryRecord[] = [];
      await write(store, 'acme', async (tx) => {
        for (let index = 0; index < count; index++) {
          const account = accountRecord({ domainId: 'acme', key: `k${index}`, id: `a${index}` });
          await tx.insertAccount(account, null);
          for (let message = 0; message < 3; message++) {
            const record = historyRecord(account.key, new Date(message * 10), `a${index}-${message}`, { messageId: `m${(index * 7) % count}-${message}` });
            await tx.appendHistory(record);
            if (index !== 0) expected.push(record);
          }
        }
      });
      const accountIds = Array.from({ length: count - 1 }, (_, index) => `a${index + 1}`);
      const page = await read(store, 'acme', (tx) => tx.readHistory({ accountIds }, null, 20));
      expect(page.map((row) => row.content)).toEqual(expected.sort(historyOrder).slice(0, 20).map((row) => row.content));
      expect(await read(store, 'acme', (tx) => tx.countHistory({ accountIds }))).toBe(expected.length);
    });
  });

  describe('contacts', () => {
    it('R40: contacts page by (addedAt, customerId) in JavaScript order; another account stays apart', async () => {
      const account = accountRecord({ domainId: 'acme', id: 'help' });
      const otherAccount = accountRecord({ domainId: 'acme', id: 'other' });
      const contact = (accountKey: string, customerId: string, addedAt: number): ContactRecord => ({
        accountKey,
        customerId,
        name: `Name ${customerId}`,
        channel: 'line',
        addedAt: new Date(addedAt),
        welcomedAt: null,
        lastAutoReply: null,
      });
      const contacts = ['b', 'B', 'a', '_x', 'Z9', 'é', 'c1', 'c10', 'c2'].map((customerId, index) => contact(account.key, customerId, (index % 3) * 1000));
      await write(store, 'acme', async (tx) => {
        await tx.insertAccount(account, null);
        await tx.insertAccount(otherAccount, null);
        for (const record of contacts) await tx.insertContact(record);
        await tx.insertContact(contact(otherAccount.key, 'a', 0));
      });
      const expected = [...contacts].sort(
        (a, b) => a.addedAt.getTime() - b.addedAt.getTime() || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
      );
      for (const limit of [1, 2, 4, 100]) {
        const paged: ContactRecord[] = [];
        let after: ContactPosition | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const position: ContactPosition | null = after;
          const page: ContactRecord[] = await read(store, 'acme', (tx) => tx.listContacts(account.key, position, limit));
          paged.push(...page);
          const last = page.at(-1);
          if (page.length < limit || !last) break;
          after = { addedAt: last.addedAt, customerId: last.customerId };
        }
        expect(paged).toEqual(expected);
      }
    });
  });

  describe('erasure', () => {
    it('R42: erases a customer from every account of the domain, reset ones included, and nothing else', async () => {
      const oldHelp = accountRecord({ domainId: 'acme', key: 'k-old', id: 'help', agentIds: ['u1', 'u2'] });
      const help = accountRecord({ domainId: 'acme', key: 'k-new', id: 'help', agentIds: ['u1', 'u2'] });
      const other = accountRecord({ domainId: 'globex', key: 'k-globex', id: 'gx' });
      const contact = (accountKey: string, customerId: string): ContactRecord => ({
        accountKey,
        customerId,
        name: customerId,
        channel: 'lineworks',
        addedAt: new Date(1),
        welcomedAt: new Date(2),
        lastAutoReply: null,
      });
      const receipt = (accountKey: string, customerId: string, messageId: string) =>
        ({ accountKey, direction: 'incoming' as const, customerId, messageId, message: 'm', answer: { kind: 'away' }, at: new Date(3) });
      const fill = async (tx: Parameters<Parameters<Store['transaction']>[2]>[0], key: string) => {
        await tx.insertContact(contact(key, 'c1'));
        await tx.insertContact(contact(key, 'c2'));
        await tx.appendHistory(historyRecord(key, new Date(10), `${key}-c1-a`, { customerId: 'c1', messageId: `${key}-1` }));
        await tx.appendHistory(historyRecord(key, new Date(11), `${key}-c1-b`, { customerId: 'c1', senderKind: 'account', messageId: `${key}-2` }));
        await tx.appendHistory(historyRecord(key, new Date(12), `${key}-c2`, { customerId: 'c2', messageId: `${key}-3` }));
        await tx.insertRoom({ accountKey: key, roomId: `${key}-r1`, kind: 'consultation', customerId: 'c1', agentIds: ['u1', 'u2'], createdAt: new Date(1) });
        await tx.insertRoom({ accountKey: key, roomId: `${key}-r2`, kind: 'consultation', customerId: 'c2', agentIds: ['u1'], createdAt: new Date(2) });
        await tx.insertRoom({ accountKey: key, roomId: `${key}-g`, kind: 'group', customerId: null, agentIds: ['u1'], createdAt: new Date(3) });
        await tx.putReceipt(receipt(key, 'c1', `${key}-t1`));
        await tx.putReceipt(receipt(key, 'c2', `${key}-t2`));
      };
      await write(store, 'acme', async (tx) => {
        await tx.insertAccount(oldHelp, null);
        await fill(tx, oldHelp.key);
        await tx.markReset(oldHelp.key, new Date(20), 2);
        await tx.insertAccount(help, null);
        await fill(tx, help.key);
      });
      await write(store, 'globex', async (tx) => {
        await tx.insertAccount(other, null);
        await fill(tx, other.key);
      });
      expect(await write(store, 'acme', (tx) => tx.eraseCustomer('c1'))).toEqual({ contacts: 2, messages: 4, rooms: 2 });
      expect(await write(store, 'acme', (tx) => tx.eraseCustomer('c1'))).toEqual({ contacts: 0, messages: 0, rooms: 0 });
      const left = await read(store, 'acme', async (tx) => ({
        contacts: [await tx.findContact(oldHelp.key, 'c1'), await tx.findContact(help.key, 'c1'), await tx.findContact(help.key, 'c2')],
        history: (await tx.readHistory({}, null, 100)).map((row) => row.content),
        rooms: (await tx.listRooms(help.key)).map((room) => [room.roomId, room.agentIds]),
        oldRooms: (await tx.listRooms(oldHelp.key)).map((room) => room.roomId),
        receipts: [
          await tx.findReceipt(help.key, 'incoming', 'k-new-t1'),
          await tx.findReceipt(oldHelp.key, 'incoming', 'k-old-t1'),
          await tx.findReceipt(help.key, 'incoming', 'k-new-t2'),
        ],
      }));
      expect(left.contacts.map((found) => found?.customerId ?? null)).toEqual([null, null, 'c2']);
      expect(left.history).toEqual(['k-new-c2', 'k-old-c2']);
      expect(left.rooms).toEqual([
        ['k-new-r2', ['u1']],
        ['k-new-g', ['u1']],
      ]);
      expect(left.oldRooms).toEqual(['k-old-r2', 'k-old-g']);
      expect(left.receipts.map((found) => found?.messageId ?? null)).toEqual([null, null, 'k-new-t2']);
      // The room agents of the erased rooms went too: a new room of the same id starts empty.
      await write(store, 'acme', (tx) =>
        tx.insertRoom({ accountKey: help.key, roomId: 'k-new-r1', kind: 'group', customerId: null, agentIds: [], createdAt: new Date(9) }),
      );
      expect((await read(store, 'acme', (tx) => tx.listRooms(help.key))).find((room) => room.roomId === 'k-new-r1')!.agentIds).toEqual([]);
      // Another domain keeps its customer of the same id.
      expect(await read(store, 'globex', (tx) => tx.countHistory({ customerId: 'c1' }))).toBe(2);
      expect(await read(store, 'globex', (tx) => tx.findContact(other.key, 'c1'))).not.toBeNull();
    });
  });

  describe('receipts, rooms, bots, account patches', () => {
    it('R47: a receipt keeps its answer as plain JSON, per account and direction', async () => {
      const answer = { kind: 'holiday', text: '休業日です "quoted"', nested: [1, null, true] };
      await write(store, 'acme', async (tx) => {
        await tx.putReceipt({ accountKey: 'k1', direction: 'incoming', messageId: 'wh-1', customerId: 'c1', message: '["c1"]', answer, at: new Date(1234) });
        await tx.putReceipt({ accountKey: 'k1', direction: 'outgoing', messageId: 'wh-1', customerId: 'c2', message: '["c2"]', answer: null, at: new Date(6) });
        await tx.putReceipt({ accountKey: 'k1', direction: 'incoming', messageId: 'wh-2', customerId: 'c1', message: null, answer: null, at: new Date(5) });
      });
      expect(await read(store, 'acme', (tx) => tx.findReceipt('k1', 'incoming', 'wh-1'))).toEqual({
        accountKey: 'k1', direction: 'incoming', messageId: 'wh-1', customerId: 'c1', message: '["c1"]', answer, at: new Date(1234),
      });
      expect(await read(store, 'acme', (tx) => tx.findReceipt('k1', 'outgoing', 'wh-1'))).toMatchObject({ customerId: 'c2', answer: null });
      expect(await read(store, 'acme', (tx) => tx.findReceipt('k1', 'incoming', 'wh-2'))).toMatchObject({ message: null, answer: null });
      expect(await read(store, 'acme', (tx) => tx.findReceipt('k1', 'outgoing', 'wh-2'))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.findReceipt('k2', 'incoming', 'wh-1'))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.findReceipt('k1', 'incoming', 'WH-1'))).toBeNull();
    });

    it('R36: addRoomAgents appends after the room\'s agents, in order', async () => {
      const key = 'k-rooms';
      await write(store, 'acme', async (tx) => {
        await tx.insertRoom({ accountKey: key, roomId: 'r1', kind: 'consultation', customerId: 'c1', agentIds: ['u1'], createdAt: new Date(1) });
        await tx.insertRoom({ accountKey: key, roomId: 'r2', kind: 'group', customerId: null, agentIds: ['u1', 'u2'], createdAt: new Date(2) });
        await tx.removeAgentFromRooms(key, 'u1');
        await tx.addRoomAgents(key, 'r1', ['u3', 'u2']);
        await tx.addRoomAgents(key, 'r2', ['u4']);
        await tx.addRoomAgents(key, 'r2', []);
      });
      expect((await read(store, 'acme', (tx) => tx.listRooms(key))).map((room) => [room.roomId, room.agentIds])).toEqual([
        ['r1', ['u3', 'u2']],
        ['r2', ['u2', 'u4']],
      ]);
    });

    it('R38: bots list in JavaScript order, by account; attach and delete', async () => {
      const help = accountRecord({ domainId: 'acme', key: 'k-help', id: 'help' });
      const sales = accountRecord({ domainId: 'acme', key: 'k-sales', id: 'sales' });
      const bot = (botId: string, accountKey: string | null, origin: 'admin' | 'dev_console' = 'dev_console') => ({
        domainId: 'acme',
        botId,
        name: `Bot ${botId}`,
        origin,
        accountKey,
        accountId: accountKey === 'k-sales' ? 'sales' : 'help',
        createdAt: new Date(7),
      });
      await write(store, 'acme', async (tx) => {
        await tx.insertAccount(help, null);
        await tx.insertAccount(sales, null);
        for (const record of [bot('b', help.key), bot('B', sales.key, 'admin'), bot('a', null), bot('_x', help.key), bot('é', sales.key)]) await tx.insertBot(record);
      });
      await write(store, 'globex', (tx) => tx.insertBot({ ...bot('zz', null), domainId: 'globex' }));
      expect((await read(store, 'acme', (tx) => tx.listBots())).map((found) => found.botId)).toEqual(['B', '_x', 'a', 'b', 'é']);
      expect((await read(store, 'acme', (tx) => tx.listBots(help.key))).map((found) => found.botId)).toEqual(['_x', 'b']);
      await write(store, 'acme', async (tx) => {
        await tx.attachBot('a', sales.key, 'sales');
        await tx.deleteBot('B');
        await tx.deleteBot('missing');
      });
      expect(await read(store, 'acme', (tx) => tx.listBots(sales.key))).toEqual([bot('a', sales.key), bot('é', sales.key)].map((found) => ({ ...found, accountId: 'sales' })));
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.attachBot('zz', help.key, 'help'))))).toBe('store_failure');
      expect((await read(store, 'globex', (tx) => tx.listBots())).map((found) => found.botId)).toEqual(['zz']);
    });

    it('R12 R15 R16: a version change and an agent change of one transaction land together, in either order, and read back inside it', async () => {
      const account = accountRecord({ domainId: 'acme', id: 'help', agentIds: ['u1'] });
      await write(store, 'acme', (tx) => tx.insertAccount(account, null));
      const inside = await write(store, 'acme', async (tx) => {
        const found = (await tx.findAccount('help'))!;
        await tx.patchAccount(found.key, {}, found.version + 1);
        await tx.addAgents(found.key, ['u2', 'u3']);
        const again = (await tx.findAccount('help'))!;
        await tx.removeAgents(again.key, ['u1']);
        await tx.patchAccount(again.key, {}, again.version + 1);
        return { again, list: await tx.listAccounts(null, 10), usage: [...(await tx.productUsage())] };
      });
      expect(inside.again).toMatchObject({ version: 2, agentIds: ['u1', 'u2', 'u3'] });
      expect(inside.list[0]).toMatchObject({ id: 'help', agentCount: 2 });
      expect(inside.usage).toEqual([['basic', { inUse: 1, maxAgents: 2 }]]);
      expect(await read(store, 'acme', (tx) => tx.findAccount('help'))).toMatchObject({ version: 3, agentIds: ['u2', 'u3'] });
      expect((await read(store, 'acme', (tx) => tx.listAccounts(null, 10)))[0]).toMatchObject({ agentCount: 2 });
      // Refused: nothing of it stays.
      const refused = await store.transaction('acme', 'write', async (tx) => {
        const found = (await tx.findAccount('help'))!;
        await tx.addAgents(found.key, ['u4']);
        await tx.patchAccount(found.key, {}, found.version + 1);
        return err(ruleError('version_conflict', 'no'));
      });
      expect(outcome(refused)).toBe('version_conflict');
      expect(await read(store, 'acme', (tx) => tx.findAccount('help'))).toMatchObject({ version: 3, agentIds: ['u2', 'u3'] });
      // Reset in the same transaction as an agent change: both land.
      await write(store, 'acme', async (tx) => {
        const found = (await tx.findAccount('help'))!;
        await tx.removeAgents(found.key, ['u3']);
        await tx.patchAccount(found.key, {}, found.version + 1);
        await tx.markReset(found.key, new Date(1), found.version + 2);
      });
      expect(await read(store, 'acme', (tx) => tx.activeAccountIdsOfAgent('u2'))).toEqual([]);
    });

    it('R12: patchAccount sets only the given fields; a new name frees the old one; a reset account cannot be patched', async () => {
      const account = accountRecord({ domainId: 'acme', id: 'help', name: 'Help', description: 'Desk', productId: 'basic' });
      await write(store, 'acme', (tx) => tx.insertAccount(account, null));
      await write(store, 'acme', (tx) => tx.patchAccount(account.key, { description: null }, 2));
      expect(await read(store, 'acme', (tx) => tx.findAccount('help'))).toEqual({ ...account, description: null, version: 2 });
      const settings = { ...account.settings, timeZone: 'Europe/Paris', welcomeMessage: 'Bonjour' };
      await write(store, 'acme', (tx) => tx.patchAccount(account.key, { name: 'Support', nameKey: 'support', productId: 'pro', settings }, 3));
      expect(await read(store, 'acme', (tx) => tx.findAccount('help'))).toEqual({
        ...account,
        name: 'Support',
        nameKey: 'support',
        description: null,
        productId: 'pro',
        settings,
        version: 3,
      });
      // The old name is free, the new one is taken.
      expect(await read(store, 'acme', (tx) => tx.findAccountByName('help'))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.findAccountByName('support'))).toEqual({ key: account.key, id: 'help' });
      expect(await read(store, 'acme', (tx) => tx.findAccountIdByUid(account.key))).toBe('help');
      expect(await read(store, 'globex', (tx) => tx.findAccountIdByUid(account.key))).toBeNull();
      await write(store, 'acme', (tx) => tx.insertAccount(accountRecord({ domainId: 'acme', id: 'other', name: 'Help' }), null));
      const taken = await store.transaction('acme', 'write', async (tx) =>
        ok(await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'third', name: 'SUPPORT' }), null)),
      );
      expect(outcome(taken)).toBe('name_taken');
      // Reset: ID and name free at once; the record is not patched any more.
      await write(store, 'acme', (tx) => tx.markReset(account.key, new Date(99), 4));
      expect(await read(store, 'acme', (tx) => tx.findAccount('help'))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.isAccountIdActive('help'))).toBe(false);
      expect(await read(store, 'acme', (tx) => tx.findAccountByName('support'))).toBeNull();
      // The uid of a reset account still names its ID (R40).
      expect(await read(store, 'acme', (tx) => tx.findAccountIdByUid(account.key))).toBe('help');
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.patchAccount(account.key, { description: 'x' }, 5))))).toBe('store_failure');
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.markReset(account.key, new Date(100), 5))))).toBe('store_failure');
      await write(store, 'globex', (tx) => tx.insertAccount(accountRecord({ domainId: 'globex', id: 'help', name: 'Support' }), null));
    });
  });
});

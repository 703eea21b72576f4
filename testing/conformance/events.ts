import { beforeEach, describe, expect, it } from 'vitest';
import type { CxAccounts } from '../../src/cx-accounts.js';
import type { CxEvent } from '../../src/events/cx-event.js';
import type { Fixture } from '../conformance-fixture.js';
import { replayEvents } from '../event-replay.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

/** Every event of a domain, read page by page. */
export async function readAllEvents(cx: CxAccounts, domainId: string, pageSize = 1000): Promise<CxEvent[]> {
  const events: CxEvent[] = [];
  for (;;) {
    const page = expectOk(await cx.events.read(domainId, { after: events.length === 0 ? 0 : events[events.length - 1]!.seq, limit: pageSize }));
    events.push(...page.events);
    if (page.events.length === 0 || events[events.length - 1]!.seq >= page.lastSeq) return events;
  }
}

/** Checks that `seq` runs 1, 2, 3, … with no gap and no repeat. */
export function expectGapFree(events: readonly CxEvent[]): void {
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
}

export function eventCases(fixture: () => Fixture) {
  describe('events and the audit trail', () => {
    let f: Fixture;
    beforeEach(() => {
      f = fixture();
    });

    it('R30: every successful change appends its events in the same transaction; refused calls append none', async () => {
      await seedProduct(f.cx, { seatLimit: 2, quantity: 1 });
      await seedAccount(f.cx, { agentIds: ['u1'] });
      const before = expectOk(await f.cx.events.read('acme')).lastSeq;
      expect(before).toBe(2);
      expectErr(await f.cx.agents.add('acme', 'help', ['u2', 'u3']), 'seat_limit_exceeded');
      expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name: 'Two', id: 'two', agentIds: ['u2'] }), 'product_unavailable');
      expectErr(await f.cx.agents.remove('acme', 'help', 'u1'), 'last_agent');
      expectErr(await f.cx.settings.update('acme', 'help', { timeZone: 'Mars/Base' }), 'validation');
      expect(expectOk(await f.cx.events.read('acme')).lastSeq).toBe(before);
      expectOk(await f.cx.agents.add('acme', 'help', ['u2']));
      const { events, lastSeq } = expectOk(await f.cx.events.read('acme'));
      expect(lastSeq).toBe(3);
      expectGapFree(events);
      const account = expectOk(await f.cx.accounts.get('acme', 'help'));
      expect(events.map((event) => event.type)).toEqual(['product.set', 'account.created', 'agents.added']);
      expect(events[2]).toMatchObject({
        domainId: 'acme',
        type: 'agents.added',
        accountId: 'help',
        accountUid: account.uid,
        actor: null,
        data: { memberIds: ['u2'], gainedAccessIds: ['u2'] },
      });
      expect(events[2]!.at).toEqual(f.now());
      expect(events[0]).toMatchObject({ accountId: null, accountUid: null, data: { productId: 'basic', seatLimit: 2, quantity: 1 } });
    });

    it('R30: seq counts per domain; another domain has its own log', async () => {
      await seedProduct(f.cx);
      await seedProduct(f.cx, {}, 'globex');
      await seedAccount(f.cx, { id: 'gx', agentIds: ['x1'] }, 'globex');
      expect(expectOk(await f.cx.events.read('acme')).lastSeq).toBe(1);
      const globex = expectOk(await f.cx.events.read('globex'));
      expect(globex.events.map((event) => [event.seq, event.domainId])).toEqual([
        [1, 'globex'],
        [2, 'globex'],
      ]);
      expect(expectOk(await f.cx.events.read('nobody'))).toEqual({ events: [], lastSeq: 0 });
    });

    it('R31: each operation names its event type and the least data; no names or contents of customers', async () => {
      await seedProduct(f.cx);
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
      expectOk(await f.cx.settings.update('acme', 'help', { awayMessage: 'Closed', weeklyHours: { mon: [] } }));
      const holiday = expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-24', end: '2026-12-25' })).settings.holidays[0]!;
      expectOk(await f.cx.holidays.remove('acme', 'help', holiday.id));
      expectOk(await f.cx.accounts.update('acme', 'help', { name: 'Help desk', description: 'Desk' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Secret Name', channel: 'line' }));
      f.setNow('2026-11-28T12:00:00.000Z'); // a Saturday: closed
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'secret content', channel: 'line' }));
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'secret reply' }));
      const room = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u2'] }));
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ', origin: 'dev_console' }));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u2'));
      await seedProduct(f.cx, { productId: 'pro', name: 'Pro', seatLimit: 5, quantity: 1 });
      expectOk(await f.cx.accounts.changeProduct('acme', 'help', 'pro'));
      const reset = expectOk(await f.cx.accounts.reset('acme', 'help'));
      expectOk(await f.cx.customers.erase('acme', 'c1'));
      expectOk(await f.cx.bots.remove('acme', 'faq'));

      const events = await readAllEvents(f.cx, 'acme');
      expectGapFree(events);
      const types = events.map((event) => event.type);
      expect(types).toEqual([
        'product.set',
        'account.created',
        'settings.updated',
        'holiday.added',
        'holiday.removed',
        'account.updated',
        'contact.added',
        'message.received',
        'auto_reply.sent',
        'message.sent',
        'room.opened',
        'bot.registered',
        'agents.removed',
        'product.set',
        'account.product_changed',
        'account.reset',
        'customer.erased',
        'bot.removed',
      ]);
      const byType = (type: string) => events.find((event) => event.type === type)!;
      expect(byType('settings.updated').data).toEqual({ fields: ['weeklyHours', 'awayMessage'] });
      expect(byType('holiday.added').data).toEqual({ holidayId: holiday.id, start: '2026-12-24', end: '2026-12-25' });
      expect(byType('account.updated').data).toEqual({ fields: ['name', 'description'] });
      expect(byType('contact.added').data).toEqual({ customerId: 'c1', channel: 'line' });
      expect(byType('message.received').data).toMatchObject({ customerId: 'c1', channel: 'line' });
      expect(byType('auto_reply.sent').data).toMatchObject({ customerId: 'c1', kind: 'away' });
      expect(byType('message.sent').data).toMatchObject({ agentId: 'u1', customerId: 'c1' });
      expect(byType('room.opened').data).toEqual({ roomId: room.roomId, kind: 'group' });
      expect(byType('agents.removed').data).toEqual({ memberIds: ['u2'], roomIds: [room.roomId], lostAccessIds: ['u2'] });
      expect(byType('account.product_changed').data).toEqual({ from: 'basic', to: 'pro' });
      expect(byType('account.reset').data).toEqual({
        deletedRoomIds: reset.deletedRoomIds,
        deletedBotIds: [],
        keptBotIds: ['faq'],
        releasedAgentIds: ['u1'],
        lostAccessIds: ['u1'],
      });
      expect(byType('customer.erased')).toMatchObject({ accountId: null, data: { customerId: 'c1' } });
      expect(byType('bot.removed').data).toEqual({ botId: 'faq' });
      const text = JSON.stringify(events);
      for (const secret of ['Secret Name', 'secret content', 'secret reply', 'Closed']) expect(text).not.toContain(secret);
    });

    it('R32: reads page by seq after a position; lastSeq is the highest seq; bad options are validation errors', async () => {
      await seedProduct(f.cx, { quantity: 20 });
      for (let index = 1; index <= 12; index++) await seedAccount(f.cx, { id: `a${index}` });
      const first = expectOk(await f.cx.events.read('acme', { limit: 5 }));
      expect(first.events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(first.lastSeq).toBe(13);
      const later = expectOk(await f.cx.events.read('acme', { after: 10, limit: 5 }));
      expect(later.events.map((event) => event.seq)).toEqual([11, 12, 13]);
      expect(expectOk(await f.cx.events.read('acme', { after: 13 })).events).toEqual([]);
      expect(expectOk(await f.cx.events.read('acme', { after: 99 })).events).toEqual([]);
      expectErr(await f.cx.events.read('acme', { limit: 0 }), 'validation');
      expectErr(await f.cx.events.read('acme', { limit: 1001 }), 'validation');
      expectErr(await f.cx.events.read('acme', { after: -1 }), 'validation');
      expectErr(await f.cx.events.read('acme', { after: 1.5 }), 'validation');
      expectErr(await f.cx.events.read('acme', { afterSeq: 1 } as never), 'validation');
    });

    it('R32: replaying the events from seq 1 rebuilds agents, products and access as the operations answer them', async () => {
      await seedProduct(f.cx, { seatLimit: 3, quantity: 4 });
      await seedProduct(f.cx, { productId: 'one', name: 'One', seatLimit: 1, quantity: 2 });
      await seedAccount(f.cx, { id: 'help', agentIds: ['u1', 'u2'] });
      await seedAccount(f.cx, { id: 'solo', productId: 'one', agentIds: ['u3'] });
      await seedAccount(f.cx, { id: 'sales', agentIds: ['u2'] });
      expectOk(await f.cx.agents.add('acme', 'sales', ['u4', 'u5']));
      expectOk(await f.cx.agents.set('acme', 'solo', ['u6']));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u1'));
      expectOk(await f.cx.members.depart('acme', 'u2', { replacementId: 'u7' }));
      expectOk(await f.cx.accounts.changeProduct('acme', 'sales', 'basic'));
      expectOk(await f.cx.accounts.reset('acme', 'solo'));
      await seedAccount(f.cx, { id: 'solo', productId: 'one', agentIds: ['u8'] });
      const replayed = replayEvents(await readAllEvents(f.cx, 'acme'));
      const overview = expectOk(await f.cx.products.overview('acme'));
      expect(Object.fromEntries(replayed.products)).toEqual(
        Object.fromEntries(overview.products.map((p) => [p.productId, { seatLimit: p.seatLimit, quantity: p.quantity }])),
      );
      const listed = expectOk(await f.cx.accounts.list('acme', { limit: 200 })).items;
      expect([...replayed.accounts.keys()].sort()).toEqual(listed.map((item) => item.id).sort());
      for (const [id, account] of replayed.accounts) {
        const current = expectOk(await f.cx.accounts.get('acme', id));
        expect(account).toEqual({ uid: current.uid, productId: current.productId, agentIds: current.agentIds });
      }
      for (const member of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']) {
        const access = expectOk(await f.cx.agents.access('acme', member));
        expect(replayed.access.get(member) ?? [], member).toEqual([...access.accountIds].sort());
      }
    });

    it('R33: cx.as(actor) stamps the actor on every event it appends; cx itself stamps null', async () => {
      await seedProduct(f.cx);
      const admin = f.cx.as('admin:u1');
      expectOk(await admin.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }));
      expectOk(await admin.as('admin:u9').agents.add('acme', 'help', ['u2']));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u2'));
      const events = await readAllEvents(f.cx, 'acme');
      expect(events.map((event) => event.actor)).toEqual([null, 'admin:u1', 'admin:u9', null]);
      expectErr(await f.cx.as('').accounts.get('acme', 'help'), 'validation');
      expectErr(await f.cx.as('x'.repeat(201)).agents.access('acme', 'u1'), 'validation');
      expectErr(await f.cx.as('bad\u0000actor').events.read('acme'), 'validation');
      expect(expectOk(await f.cx.events.read('acme')).lastSeq).toBe(4);
    });
  });
}

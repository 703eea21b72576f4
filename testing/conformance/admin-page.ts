import { beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

export function adminPageCases(fixture: () => Fixture) {
  describe('the admin page and what it keeps', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 10 });
    });

    it('R6: IDs are unique across domains case-insensitively; every account has a uid of its own', async () => {
      const first = await seedAccount(f.cx, { id: 'helpDesk' });
      await seedProduct(f.cx, {}, 'globex');
      expectErr(await f.cx.accounts.create('globex', { productId: 'basic', name: 'Other', id: 'helpdesk', agentIds: ['x1'] }), 'id_taken');
      expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name: 'Other', id: 'HELPDESK', agentIds: ['u1'] }), 'validation');
      expect(expectOk(await f.cx.accounts.get('acme', 'helpDesk')).uid).toBe(first.uid);
      expectOk(await f.cx.accounts.reset('acme', 'helpDesk'));
      const second = await seedAccount(f.cx, { id: 'helpdesk' });
      expect(second.uid).not.toBe(first.uid);
      expect(second.contactUrl).not.toBe(first.contactUrl);
    });

    it('R34: agents.set swaps the only agent of a one-seat account; the same list changes nothing', async () => {
      await seedProduct(f.cx, { productId: 'one', name: 'One', seatLimit: 1, quantity: 2 });
      await seedAccount(f.cx, { id: 'solo', productId: 'one', agentIds: ['u1'] });
      expectErr(await f.cx.agents.add('acme', 'solo', ['u2']), 'seat_limit_exceeded');
      const swapped = expectOk(await f.cx.agents.set('acme', 'solo', ['u2']));
      expect(swapped).toMatchObject({ agentIds: ['u2'], version: 2 });
      expect(expectOk(await f.cx.agents.set('acme', 'solo', ['u2'])).version).toBe(2);
      expect(expectOk(await f.cx.agents.access('acme', 'u1')).hasAccess).toBe(false);
      expectErr(await f.cx.agents.set('acme', 'solo', ['u2', 'u3']), 'seat_limit_exceeded');
      expectErr(await f.cx.agents.set('acme', 'solo', []), 'validation');
      expectErr(await f.cx.agents.set('acme', 'solo', ['u3', 'u3']), 'validation');
      expect(expectErr(await f.cx.agents.set('acme', 'solo', ['ghost']), 'not_found').entity).toBe('member');
      expectErr(await f.cx.agents.set('acme', 'solo', ['u3'], { expectedVersion: 1 }), 'version_conflict');
      expect(expectOk(await f.cx.accounts.get('acme', 'solo'))).toMatchObject({ agentIds: ['u2'], version: 2 });
    });

    it('R35: members.depart leaves every account and room, with a replacement where it was the only agent', async () => {
      await seedAccount(f.cx, { id: 'help', agentIds: ['u1', 'u2'] });
      await seedAccount(f.cx, { id: 'solo', agentIds: ['u1'] });
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      const room = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'c1', agentIds: ['u1'] }));
      const failed = expectErr(await f.cx.members.depart('acme', 'u1'), 'last_agent');
      expect(failed.message).toContain('solo');
      expect(expectOk(await f.cx.agents.access('acme', 'u1')).accountIds).toHaveLength(2);
      const lastSeq = expectOk(await f.cx.events.read('acme')).lastSeq;
      expect(expectOk(await f.cx.members.depart('acme', 'u1', { replacementId: 'u5' }))).toEqual({
        accountIds: ['help', 'solo'],
        roomIds: [room.roomId],
      });
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).agentIds).toEqual(['u2']);
      expect(expectOk(await f.cx.accounts.get('acme', 'solo')).agentIds).toEqual(['u5']);
      expect(expectOk(await f.cx.agents.access('acme', 'u1')).hasAccess).toBe(false);
      expect(expectOk(await f.cx.conversations.rooms('acme', 'help'))[0]!.agentIds).toEqual(['u2']);
      const events = expectOk(await f.cx.events.read('acme', { after: lastSeq })).events;
      expect(events[events.length - 1]).toMatchObject({ type: 'member.departed', data: { memberId: 'u1', accountIds: ['help', 'solo'], replacementId: 'u5' } });
      expect(expectOk(await f.cx.members.depart('acme', 'u9'))).toEqual({ accountIds: [], roomIds: [] });
      expectErr(await f.cx.members.depart('acme', 'u2', { replacementId: 'u2' }), 'validation');
      expect(expectErr(await f.cx.members.depart('acme', 'u2', { replacementId: 'ghost' }), 'not_found').entity).toBe('member');
      expectErr(await f.cx.members.depart('acme', 'u2', { replacement: 'u3' } as never), 'validation');
    });

    it('R36: a room left with no agent goes to all remaining agents (remove and set)', async () => {
      await seedAccount(f.cx, { agentIds: ['u1', 'u2', 'u3'] });
      const group = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u1'] }));
      const shared = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u1', 'u2'] }));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u1'));
      const rooms = expectOk(await f.cx.conversations.rooms('acme', 'help'));
      expect(rooms.find((room) => room.roomId === group.roomId)!.agentIds).toEqual(['u2', 'u3']);
      expect(rooms.find((room) => room.roomId === shared.roomId)!.agentIds).toEqual(['u2']);
      expectOk(await f.cx.agents.set('acme', 'help', ['u4', 'u5']));
      for (const room of expectOk(await f.cx.conversations.rooms('acme', 'help'))) expect(room.agentIds).toEqual(['u4', 'u5']);
      const own = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u4'] }));
      expect(expectOk(await f.cx.members.depart('acme', 'u4')).roomIds).toHaveLength(3);
      for (const room of expectOk(await f.cx.conversations.rooms('acme', 'help'))) expect(room.agentIds).toEqual(['u5']);
      const events = expectOk(await f.cx.events.read('acme', { limit: 1000 })).events.filter((event) => event.type === 'agents.removed');
      expect(events[events.length - 1]!.data).toMatchObject({ memberIds: ['u4'], roomIds: [own.roomId] });
    });

    it('R37: a member who is no longer an agent cannot send', async () => {
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u2', customerId: 'c1', content: 'hi' }));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u2'));
      expect(expectErr(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u2', customerId: 'c1', content: 'hi' }), 'not_found').entity).toBe('agent');
      expect(expectOk(await f.cx.conversations.history('acme')).items).toHaveLength(1);
    });

    it('R38: bots are listed, a detached developer bot can be attached again, bots can be removed', async () => {
      await seedAccount(f.cx, { id: 'help' });
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ', origin: 'admin' }));
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'crm', name: 'CRM', origin: 'dev_console' }));
      expectErr(await f.cx.bots.register('acme', 'help', { botId: 'crm', name: 'Again', origin: 'admin' }), 'id_taken');
      expect(expectOk(await f.cx.bots.list('acme')).map((bot) => [bot.botId, bot.accountId])).toEqual([
        ['crm', 'help'],
        ['faq', 'help'],
      ]);
      expectErr(await f.cx.bots.attach('acme', 'crm', 'help'), 'validation');
      expectOk(await f.cx.accounts.reset('acme', 'help'));
      expect(expectOk(await f.cx.bots.list('acme'))).toMatchObject([{ botId: 'crm', accountId: null, origin: 'dev_console' }]);
      await seedAccount(f.cx, { id: 'help2' });
      expect(expectOk(await f.cx.bots.attach('acme', 'crm', 'help2')).accountId).toBe('help2');
      expect(expectOk(await f.cx.bots.list('acme', { accountId: 'help2' })).map((bot) => bot.botId)).toEqual(['crm']);
      expect(expectErr(await f.cx.bots.attach('acme', 'ghost', 'help2'), 'not_found').entity).toBe('bot');
      expect(expectErr(await f.cx.bots.list('acme', { accountId: 'help' }), 'not_found').entity).toBe('account');
      expectOk(await f.cx.bots.remove('acme', 'crm'));
      expect(expectErr(await f.cx.bots.remove('acme', 'crm'), 'not_found').entity).toBe('bot');
      expect(expectOk(await f.cx.bots.list('acme'))).toEqual([]);
      expect(expectOk(await f.cx.bots.list('globex'))).toEqual([]);
    });

    it('R39: history pages through every message of the domain with filters, names as they were when sent', async () => {
      await seedAccount(f.cx, { id: 'help', name: 'Help', agentIds: ['u1'] });
      expectOk(await f.cx.settings.update('acme', 'help', { weeklyHours: { sat: [{ from: '00:00', to: '24:00' }] } }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Kim', channel: 'lineworks' }));
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));
      for (let minute = 0; minute < 6; minute++) {
        const customerId = minute % 2 === 0 ? 'c1' : 'c2';
        expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId, content: `m${minute}`, channel: minute % 2 === 0 ? 'line' : 'lineworks', at: at(minute) }));
      }
      expectOk(await f.cx.accounts.update('acme', 'help', { name: 'Renamed' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee Later', channel: 'line' }));
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'answer', at: at(10) }));
      const uid = expectOk(await f.cx.accounts.get('acme', 'help')).uid;
      expectOk(await f.cx.accounts.reset('acme', 'help'));
      await seedAccount(f.cx, { id: 'help', name: 'New help' });

      const all = expectOk(await f.cx.conversations.history('acme', { accountId: 'help' })).items;
      expect(all.map((message) => message.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'answer']);
      expect(all[0]).toMatchObject({
        accountUid: uid,
        accountId: 'help',
        accountName: 'Help',
        customerId: 'c1',
        customerName: 'Lee',
        channel: 'line',
        sender: { kind: 'customer', id: 'c1', name: 'Lee' },
        sentAt: at(0),
      });
      expect(all[6]).toMatchObject({ accountName: 'Renamed', customerName: 'Lee Later', channel: 'line', sender: { kind: 'agent', id: 'u1', name: 'Acme Agent 1' } });
      const byCustomer = expectOk(await f.cx.conversations.history('acme', { customerId: 'c2' })).items;
      expect(byCustomer.map((message) => message.content)).toEqual(['m1', 'm3', 'm5']);
      const window = expectOk(await f.cx.conversations.history('acme', { from: at(2), to: at(4) })).items;
      expect(window.map((message) => message.content)).toEqual(['m2', 'm3']);
      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { content: string }[]; nextCursor: string | null } = expectOk(await f.cx.conversations.history('acme', { limit: 2, cursor }));
        pages.push(page.items.map((message) => message.content).join(','));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual(['m0,m1', 'm2,m3', 'm4,m5', 'answer']);
      expectErr(await f.cx.conversations.history('acme', { limit: 501 }), 'validation');
      expectErr(await f.cx.conversations.history('acme', { cursor: 'nonsense!' }), 'validation');
      expectErr(await f.cx.conversations.history('acme', { account: 'help' } as never), 'validation');
      expect(expectOk(await f.cx.conversations.history('globex')).items).toEqual([]);
    });

    it('R40: contacts of an active account are paged; R41: addContact again updates name and channel', async () => {
      await seedAccount(f.cx);
      for (let index = 1; index <= 5; index++) {
        f.setNow(new Date(Date.UTC(2026, 10, 25, 3, index)));
        expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: `c${index}`, name: `Customer ${index}`, channel: 'line' }));
      }
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Renamed', channel: 'mail' }));
      const first = expectOk(await f.cx.conversations.contacts('acme', 'help', { limit: 3 }));
      expect(first.items.map((contact) => contact.customerId)).toEqual(['c1', 'c2', 'c3']);
      expect(first.items[1]).toMatchObject({ name: 'Renamed', channel: 'mail', addedAt: new Date(Date.UTC(2026, 10, 25, 3, 2)) });
      const second = expectOk(await f.cx.conversations.contacts('acme', 'help', { limit: 3, cursor: first.nextCursor }));
      expect(second).toMatchObject({ nextCursor: null });
      expect(second.items.map((contact) => contact.customerId)).toEqual(['c4', 'c5']);
      expect(expectErr(await f.cx.conversations.contacts('acme', 'nope'), 'not_found').entity).toBe('account');
      expectErr(await f.cx.conversations.contacts('acme', 'help', { cursor: first.nextCursor!.slice(1) }), 'validation');
    });

    it('R42: erasing a customer removes its contacts, messages, rooms and reply memory across the domain', async () => {
      await seedAccount(f.cx, { id: 'help' });
      await seedAccount(f.cx, { id: 'sales' });
      expectOk(await f.cx.settings.update('acme', 'help', { welcomeMessage: 'Welcome!' }));
      for (const account of ['help', 'sales']) {
        expectOk(await f.cx.conversations.addContact('acme', account, { customerId: 'c1', name: 'Lee', channel: 'line' }));
        expectOk(await f.cx.conversations.receiveMessage('acme', account, { customerId: 'c1', content: 'hello', channel: 'line' }));
      }
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Kim', channel: 'line' }));
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c2', content: 'other', channel: 'line' }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'c1', agentIds: ['u1'] }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u1'] }));
      expectOk(await f.cx.accounts.reset('acme', 'sales'));
      expect(expectOk(await f.cx.customers.erase('acme', 'c1'))).toEqual({ contacts: 2, messages: 3, rooms: 1 });
      const left = expectOk(await f.cx.conversations.history('acme')).items;
      expect(left.map((message) => message.customerId)).toEqual(['c2', 'c2']);
      expect(expectOk(await f.cx.conversations.history('acme', { customerId: 'c1' })).items).toEqual([]);
      expect(expectOk(await f.cx.conversations.contacts('acme', 'help')).items.map((contact) => contact.customerId)).toEqual(['c2']);
      expect(expectOk(await f.cx.conversations.rooms('acme', 'help')).map((room) => room.kind)).toEqual(['group']);
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'back', channel: 'line' }), 'not_found');
      // A first contact again: welcomed again.
      expect(expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }))).toEqual({ kind: 'welcome', text: 'Welcome!' });
      expect(expectOk(await f.cx.customers.erase('acme', 'nobody'))).toEqual({ contacts: 0, messages: 0, rooms: 0 });
      expectErr(await f.cx.customers.erase('acme', ''), 'validation');
    });

    it('R43: a message or contact through a disconnected channel is refused and records nothing', async () => {
      await seedAccount(f.cx);
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      const updated = expectOk(await f.cx.settings.update('acme', 'help', { channels: { line: false } }));
      expect(updated.settings.channels).toEqual({ line: false, mail: true });
      const before = expectOk(await f.cx.events.read('acme')).lastSeq;
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'line' }), 'channel_disconnected');
      expectErr(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Kim', channel: 'line' }), 'channel_disconnected');
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'via works', channel: 'lineworks' }));
      expect(expectOk(await f.cx.conversations.history('acme')).items.map((message) => message.channel)).toEqual(['lineworks']);
      expect(expectOk(await f.cx.conversations.contacts('acme', 'help')).items).toHaveLength(1);
      expect(expectOk(await f.cx.events.read('acme')).lastSeq).toBe(before + 1);
      expectErr(await f.cx.settings.update('acme', 'help', { channels: { fax: true } as never }), 'validation');
    });

    it('R44: settings.update saves hours, messages and the whole holiday list in one step', async () => {
      await seedAccount(f.cx);
      const kept = expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-24', end: '2026-12-25', label: 'Xmas' })).settings.holidays[0]!;
      const gone = expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-31', end: '2026-12-31' })).settings.holidays[1]!;
      const saved = expectOk(
        await f.cx.settings.update('acme', 'help', {
          awayMessage: 'Closed',
          weeklyHours: { sat: [{ from: '10:00', to: '12:00' }] },
          holidays: [{ id: kept.id, start: kept.start, end: kept.end, label: 'Xmas' }, { start: '2027-01-01', end: '2027-01-02' }],
        }),
      );
      expect(saved.version).toBe(4);
      expect(saved.settings.awayMessage).toBe('Closed');
      expect(saved.settings.holidays.map((holiday) => [holiday.start, holiday.end])).toEqual([
        ['2026-12-24', '2026-12-25'],
        ['2027-01-01', '2027-01-02'],
      ]);
      expect(saved.settings.holidays[0]!.id).toBe(kept.id);
      expect(saved.settings.holidays.map((holiday) => holiday.id)).not.toContain(gone.id);
      const refusals = [
        [{ holidays: [{ start: '2026-01-01', end: '2026-01-02' }] }, 'holiday_in_past'],
        [{ holidays: [{ start: '2027-03-01', end: '2027-03-05' }, { start: '2027-03-05', end: '2027-03-06' }] }, 'holiday_overlap'],
        [{ holidays: [{ id: kept.id, start: kept.start, end: '2026-12-26' }] }, 'validation'],
        [{ holidays: [{ id: 'ghost', start: '2027-05-01', end: '2027-05-01' }] }, 'not_found'],
        [{ awayMessage: 'changed', holidays: [{ start: '2027-05-02', end: '2027-05-01' }] }, 'validation'],
      ] as const;
      for (const [input, code] of refusals) expectErr(await f.cx.settings.update('acme', 'help', input as never), code);
      const after = expectOk(await f.cx.accounts.get('acme', 'help'));
      expect(after.version).toBe(4);
      expect(after.settings).toEqual(saved.settings);
      expect(expectOk(await f.cx.settings.update('acme', 'help', { holidays: [] })).settings.holidays).toEqual([]);
    });

    it('R23: on a holiday with no holiday message, the away message goes out once per holiday stretch, as kind holiday', async () => {
      await seedAccount(f.cx);
      expectOk(await f.cx.settings.update('acme', 'help', { awayMessage: 'We are away' }));
      expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-11-26', end: '2026-11-26' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      const send = (at: string) =>
        f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hello', channel: 'line', at: new Date(at) });
      expect(expectOk(await send('2026-11-26T10:00:00Z'))).toEqual({ kind: 'holiday', text: 'We are away' });
      expect(expectOk(await send('2026-11-26T15:00:00Z'))).toBeNull();
      expect(expectOk(await send('2026-11-26T20:00:00Z'))).toBeNull();
      expect(expectOk(await send('2026-11-27T10:00:00Z'))).toBeNull(); // open on Friday
      expect(expectOk(await send('2026-11-27T20:00:00Z'))).toEqual({ kind: 'away', text: 'We are away' });
    });

    it('R47: a second call with the same messageId records nothing and answers what the first answered', async () => {
      await seedAccount(f.cx, { agentIds: ['u1'] });
      expectOk(await f.cx.settings.update('acme', 'help', { awayMessage: 'Away' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      const input = { customerId: 'c1', content: 'hi', channel: 'line' as const, at: new Date('2026-11-28T10:00:00Z'), messageId: 'wh-1' };
      const first = expectOk(await f.cx.conversations.receiveMessage('acme', 'help', input));
      expect(first).toEqual({ kind: 'away', text: 'Away' });
      const seq = expectOk(await f.cx.events.read('acme')).lastSeq;
      expect(expectOk(await f.cx.conversations.receiveMessage('acme', 'help', input))).toEqual(first);
      // The same id with another message is refused, never dropped (R47, revised).
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { ...input, content: 'changed' }), 'id_taken');
      const reply = { agentId: 'u1', customerId: 'c1', content: 'hello', messageId: 'out-1', at: new Date('2026-11-28T10:05:00Z') };
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', reply));
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', reply));
      expect(expectOk(await f.cx.conversations.history('acme')).items.map((message) => message.content)).toEqual(['hi', 'Away', 'hello']);
      expect(expectOk(await f.cx.events.read('acme')).lastSeq).toBe(seq + 1);
      // Another message id is another message.
      expect(expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { ...input, messageId: 'wh-2' }))).toBeNull();
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { ...input, messageId: '' }), 'validation');
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { ...input, messageId: 'x'.repeat(201) }), 'validation');
    });
  });
}

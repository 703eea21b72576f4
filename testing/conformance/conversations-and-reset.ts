import { beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

export function conversationAndResetCases(fixture: () => Fixture) {
  describe('conversations, bots and reset', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 1 });
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
    });

    it('R22: welcomes a customer once per account, never by mail, never when empty', async () => {
      const add = (customerId: string, channel: 'line' | 'mail' | 'lineworks') =>
        f.cx.conversations.addContact('acme', 'help', { customerId, name: `Customer ${customerId}`, channel });
      expect(expectOk(await add('c0', 'line'))).toBeNull();
      expectOk(await f.cx.settings.update('acme', 'help', { welcomeMessage: 'Welcome!' }));
      expect(expectOk(await add('c1', 'line'))).toEqual({ kind: 'welcome', text: 'Welcome!' });
      expect(expectOk(await add('c1', 'lineworks'))).toBeNull();
      expect(expectOk(await add('c2', 'mail'))).toBeNull();
      expect(expectOk(await add('c3', 'lineworks'))).toEqual({ kind: 'welcome', text: 'Welcome!' });
      expectErr(await add('', 'line'), 'validation');
      expectErr(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c4', name: 'N', channel: 'fax' } as never), 'validation');
    });

    it('R23: messages are recorded; unknown customers are not_found', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expect(
        expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c9', content: 'hi', channel: 'line' }), 'not_found')
          .entity,
      ).toBe('contact');
      // 2026-11-25 is a Wednesday; 03:00 UTC is before the default 09:00 opening.
      f.setNow('2026-11-25T10:00:00Z');
      expect(expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'line' }))).toBeNull();
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'hello' }));
      expect(
        expectErr(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u5', customerId: 'c1', content: 'hello' }), 'not_found')
          .entity,
      ).toBe('agent');
    });

    it('R24: reset deletes rooms and admin bots, keeps dev_console bots, frees name, ID and unit', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'c1', agentIds: ['u1'] }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u1', 'u2'] }));
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ', origin: 'admin' }));
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'crm', name: 'CRM', origin: 'dev_console' }));
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'ops', name: 'Ops', origin: 'dev_console' }));
      const rooms = expectOk(await f.cx.conversations.rooms('acme', 'help')).map((room) => room.roomId);
      const report = expectOk(await f.cx.accounts.reset('acme', 'help'));
      expect(report).toEqual({
        deletedRooms: 2,
        deletedBots: 1,
        keptBots: 2,
        releasedAgentIds: ['u1', 'u2'],
        deletedRoomIds: rooms,
        deletedBotIds: ['faq'],
        keptBotIds: ['crm', 'ops'],
      });
      expectErr(await f.cx.conversations.rooms('acme', 'help'), 'not_found');
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'line' }), 'not_found');
      expect(expectOk(await f.cx.agents.access('acme', 'u1')).hasAccess).toBe(false);
      // The unit, the name and the ID are free again; a kept bot id stays taken.
      const again = expectOk(
        await f.cx.accounts.create('acme', { productId: 'basic', name: 'Desk help', id: 'help', agentIds: ['u3'] }),
      );
      expect(again.version).toBe(1);
      expect(expectOk(await f.cx.conversations.rooms('acme', 'help'))).toEqual([]);
      expectErr(await f.cx.bots.register('acme', 'help', { botId: 'crm', name: 'CRM', origin: 'admin' }), 'id_taken');
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ', origin: 'admin' }));
      // The new account's contacts start empty; the old account's contact is not this account's.
      expectErr(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'line' }), 'not_found');
    });

    it('R24: rooms check their members and customers', async () => {
      expect(
        expectErr(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u3'] }), 'not_found').entity,
      ).toBe('agent');
      expect(
        expectErr(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'c9', agentIds: ['u1'] }), 'not_found')
          .entity,
      ).toBe('contact');
      expectErr(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', agentIds: ['u1'] }), 'validation');
      expect(expectOk(await f.cx.conversations.rooms('acme', 'help'))).toEqual([]);
    });
  });
}

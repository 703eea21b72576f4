import { beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

export function agentCases(fixture: () => Fixture) {
  describe('agents and access', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 10 });
    });

    it('R15: adds members all or nothing', async () => {
      await seedAccount(f.cx, { agentIds: ['u1'] });
      expect(expectOk(await f.cx.agents.add('acme', 'help', ['u2', 'u3'])).agentIds).toEqual(['u1', 'u2', 'u3']);
      await seedAccount(f.cx, { id: 'two', agentIds: ['u1'] });
      expectErr(await f.cx.agents.add('acme', 'two', ['u2', 'u1']), 'already_agent');
      expect(expectErr(await f.cx.agents.add('acme', 'two', ['u2', 'ghost']), 'not_found').entity).toBe('member');
      expect(expectErr(await f.cx.agents.add('acme', 'two', ['u2', 'x1']), 'not_found').entity).toBe('member');
      expectErr(await f.cx.agents.add('acme', 'two', ['u2', 'u3', 'u4']), 'seat_limit_exceeded');
      expectErr(await f.cx.agents.add('acme', 'two', []), 'validation');
      expectErr(await f.cx.agents.add('acme', 'two', ['u2', 'u2']), 'validation');
      expect(expectOk(await f.cx.accounts.get('acme', 'two'))).toMatchObject({ agentIds: ['u1'], version: 1 });
    });

    it('R16: refuses to remove the last agent', async () => {
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
      expect(expectOk(await f.cx.agents.remove('acme', 'help', 'u1')).agentIds).toEqual(['u2']);
      expectErr(await f.cx.agents.remove('acme', 'help', 'u2'), 'last_agent');
      expect(expectErr(await f.cx.agents.remove('acme', 'help', 'u5'), 'not_found').entity).toBe('agent');
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).agentIds).toEqual(['u2']);
    });

    it('R16: a removed agent leaves every room of the account', async () => {
      await seedAccount(f.cx, { agentIds: ['u1', 'u2', 'u3'] });
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'c1', agentIds: ['u1', 'u2'] }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u2', 'u3'] }));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u2'));
      const rooms = expectOk(await f.cx.conversations.rooms('acme', 'help'));
      expect(rooms.map((room) => room.agentIds)).toEqual([['u1'], ['u3']]);
    });

    it('R17: access is being an agent of at least one active account of the domain', async () => {
      expect(expectOk(await f.cx.agents.access('acme', 'u2'))).toEqual({ hasAccess: false, accountIds: [] });
      f.setNow('2026-11-25T04:00:00Z');
      await seedAccount(f.cx, { id: 'one', agentIds: ['u1', 'u2'] });
      f.setNow('2026-11-25T05:00:00Z');
      await seedAccount(f.cx, { id: 'two', agentIds: ['u2'] });
      expect(expectOk(await f.cx.agents.access('acme', 'u2'))).toEqual({ hasAccess: true, accountIds: ['one', 'two'] });
      expectOk(await f.cx.agents.remove('acme', 'one', 'u2'));
      expect(expectOk(await f.cx.agents.access('acme', 'u2'))).toEqual({ hasAccess: true, accountIds: ['two'] });
      expectOk(await f.cx.accounts.reset('acme', 'two'));
      expect(expectOk(await f.cx.agents.access('acme', 'u2'))).toEqual({ hasAccess: false, accountIds: [] });
      expect(expectOk(await f.cx.agents.access('globex', 'u1'))).toEqual({ hasAccess: false, accountIds: [] });
    });

    it('R17: members.search goes through the directory of the domain', async () => {
      const found = expectOk(await f.cx.members.search('acme', 'agent 3'));
      expect(found.map((member) => member.id)).toEqual(['u3']);
      expect(expectOk(await f.cx.members.search('acme', 'acme.test', { limit: 2 }))).toHaveLength(2);
      expect(expectOk(await f.cx.members.search('globex', 'acme'))).toEqual([]);
      expectErr(await f.cx.members.search('acme', 'x', { limit: 0 }), 'validation');
    });
  });
}

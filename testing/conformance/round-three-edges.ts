import { beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';
import { snapshot } from './snapshot.js';

/**
 * The edges of the third round (R16, R33, R40, R43, R47, R48, R50): cases found by using the
 * library as a new user and by attacking it, each on every store.
 */
export function roundThreeEdgeCases(fixture: () => Fixture) {
  describe('round three: the edges', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 3 });
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
      // 2026-11-25 is a Wednesday: 10:00 UTC is inside the default hours, so no away reply.
      f.setNow('2026-11-25T10:00:00Z');
    });

    it('R43: sendMessage to a customer whose last channel is off is channel_disconnected and records nothing', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'lineworks' }));
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'mail' }));
      expectOk(await f.cx.settings.update('acme', 'help', { channels: { mail: false } }));
      const before = await snapshot(f.cx);
      expectErr(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'hello' }), 'channel_disconnected');
      expect(await snapshot(f.cx)).toEqual(before);
      // The customer writes again through lineworks (always connected): the reply goes out there.
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'still there?', channel: 'lineworks' }));
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'yes' }));
      const { items } = expectOk(await f.cx.conversations.history('acme', { customerId: 'c1' }));
      expect(items.map((message) => [message.content, message.channel])).toEqual([
        ['hi', 'mail'],
        ['still there?', 'lineworks'],
        ['yes', 'lineworks'],
      ]);
    });
  });
}

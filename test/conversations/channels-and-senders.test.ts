import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { expectErr, expectOk } from '../../testing/conformance/expectations.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';

describe('conversations: channels and senders', () => {
  it('R41: a message keeps its channel, and an agent’s reply goes through the channel the customer last wrote from', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx, { agentIds: ['u1'] });
    expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'lineworks' }));
    expectOk(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'by LINE', channel: 'line', at: new Date('2026-11-25T10:00:00Z') }));
    expectOk(await cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'answer', at: new Date('2026-11-25T10:01:00Z') }));
    expectOk(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'by mail', channel: 'mail', at: new Date('2026-11-25T10:02:00Z') }));
    expectOk(await cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'answer 2', at: new Date('2026-11-25T10:03:00Z') }));
    const items = expectOk(await cx.conversations.history('acme')).items;
    expect(items.map((message) => [message.content, message.channel])).toEqual([
      ['by LINE', 'line'],
      ['answer', 'line'],
      ['by mail', 'mail'],
      ['answer 2', 'mail'],
    ]);
    expect(expectOk(await cx.conversations.contacts('acme', 'help')).items[0]?.channel).toBe('mail');
  });

  it('R37: a member who departed cannot send on the accounts it left', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx, { agentIds: ['u1', 'u2'] });
    expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
    expectOk(await cx.members.depart('acme', 'u2'));
    const refused = expectErr(await cx.conversations.sendMessage('acme', 'help', { agentId: 'u2', customerId: 'c1', content: 'still here?' }), 'not_found');
    expect(refused.entity).toBe('agent');
    expect(expectOk(await cx.conversations.history('acme')).items).toEqual([]);
  });
});

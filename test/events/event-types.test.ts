import { describe, expect, expectTypeOf, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import type { CxEvent, CxEventData, CxEventType } from '../../src/events/cx-event.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { readAllEvents } from '../../testing/conformance/events.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';

/** The event types of R31, as the specification lists them. */
const R31_TYPES = [
  'product.set', 'account.created', 'account.updated', 'account.product_changed', 'account.reset', 'agents.added',
  'agents.removed', 'settings.updated', 'holiday.added', 'holiday.removed', 'contact.added', 'message.received',
  'auto_reply.sent', 'message.sent', 'room.opened', 'bot.registered', 'bot.attached', 'bot.removed', 'member.departed',
  'customer.erased', 'backup.requested', 'backup.ready', 'backup.failed', 'backup.cancelled',
  'webhook.added', 'webhook.removed', 'webhook.disabled', 'webhook.enabled',
] as const;

describe('event types', () => {
  it('R31: the typed events are exactly the types R31 lists, each with the least data it names', () => {
    expectTypeOf<CxEventType>().toEqualTypeOf<(typeof R31_TYPES)[number]>();
    expectTypeOf<CxEventData['agents.removed']>().toEqualTypeOf<{ memberIds: string[]; roomIds: string[]; lostAccessIds: string[] }>();
    expectTypeOf<CxEventData['member.departed']>().toEqualTypeOf<{ memberId: string; accountIds: string[]; replacementId: string | null }>();
    expectTypeOf<Extract<CxEvent, { type: 'account.reset' }>['data']['keptBotIds']>().toEqualTypeOf<string[]>();
    expect(new Set(R31_TYPES).size).toBe(28);
  });

  it('R31: the operations of a whole day on the admin page append only R31 types, and each carries the ids R31 names', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx, { agentIds: ['u1'] });
    expectOk(await cx.bots.register('acme', 'help', { botId: 'crm', name: 'CRM', origin: 'dev_console' }));
    expectOk(await cx.agents.set('acme', 'help', ['u2', 'u3']));
    expectOk(await cx.members.depart('acme', 'u2'));
    expectOk(await cx.accounts.reset('acme', 'help'));
    await seedAccount(cx, { id: 'help2', agentIds: ['u1'] });
    expectOk(await cx.bots.attach('acme', 'crm', 'help2'));
    const events = await readAllEvents(cx, 'acme');
    for (const event of events) expect(R31_TYPES).toContain(event.type);
    const required: Record<string, string[]> = {
      'account.created': ['name', 'productId', 'agentIds'],
      'agents.added': ['memberIds', 'gainedAccessIds'],
      'agents.removed': ['memberIds', 'roomIds', 'lostAccessIds'],
      'member.departed': ['memberId', 'accountIds', 'replacementId'],
      'account.reset': ['deletedRoomIds', 'deletedBotIds', 'keptBotIds', 'releasedAgentIds', 'lostAccessIds'],
      'bot.registered': ['botId'],
      'bot.attached': ['botId'],
    };
    for (const event of events) {
      for (const key of required[event.type] ?? []) expect(event.data, `${event.type}.${key}`).toHaveProperty(key);
    }
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['account.created', 'agents.added', 'agents.removed', 'member.departed', 'account.reset', 'bot.attached']),
    );
  });
});

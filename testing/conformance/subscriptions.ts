import { beforeEach, describe, expect, it } from 'vitest';
import type { CxEvent } from '../../src/events/cx-event.js';
import type { Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

/** The first `count` events of a subscription, then stops iterating (which ends it). */
export async function takeEvents(iterable: AsyncIterable<CxEvent>, count: number): Promise<CxEvent[]> {
  const taken: CxEvent[] = [];
  if (count === 0) return taken;
  for await (const event of iterable) {
    taken.push(event);
    if (taken.length >= count) break;
  }
  return taken;
}

/** Reads a subscription to its end (an abort, the store closing). */
export async function drain(iterable: AsyncIterable<CxEvent>): Promise<CxEvent[]> {
  const seen: CxEvent[] = [];
  for await (const event of iterable) seen.push(event);
  return seen;
}

export function subscriptionCases(fixture: () => Fixture) {
  describe('live subscriptions (R52)', () => {
    let f: Fixture;
    beforeEach(() => {
      f = fixture();
    });

    it('R52: from `after`, the past first, then each new event as it commits, in seq order with no gap and no repeat', async () => {
      await seedProduct(f.cx);
      await seedAccount(f.cx, { agentIds: ['u1'] });
      const subscribed = expectOk(await f.cx.events.subscribe('acme', { after: 1 }));
      const taking = takeEvents(subscribed, 4);
      // Written while the subscriber reads (and waits): one by one, and from another domain too.
      expectOk(await f.cx.agents.add('acme', 'help', ['u2']));
      await seedProduct(f.cx, {}, 'globex');
      expectOk(await f.cx.agents.add('acme', 'help', ['u3']));
      expectOk(await f.cx.agents.remove('acme', 'help', 'u3'));
      const events = await taking;
      expect(events.map((event) => [event.seq, event.type])).toEqual([
        [2, 'account.created'],
        [3, 'agents.added'],
        [4, 'agents.added'],
        [5, 'agents.removed'],
      ]);
      expect(events.every((event) => event.domainId === 'acme')).toBe(true);
      expect(events[1]!.data).toEqual({ memberIds: ['u2'], gainedAccessIds: ['u2'] });
    });

    it('R52: without `after` only events committed after the call come', async () => {
      await seedProduct(f.cx);
      await seedAccount(f.cx, { agentIds: ['u1'] });
      const subscribed = expectOk(await f.cx.events.subscribe('acme'));
      expectOk(await f.cx.agents.add('acme', 'help', ['u2']));
      const [event] = await takeEvents(subscribed, 1);
      expect(event).toMatchObject({ seq: 3, type: 'agents.added' });
    });

    it('R52: many subscribers of one store each get every event once, while writes run concurrently', async () => {
      await seedProduct(f.cx, { seatLimit: 9 });
      await seedAccount(f.cx, { agentIds: ['u1'] });
      const subscribers = await Promise.all(Array.from({ length: 5 }, () => f.cx.events.subscribe('acme', { after: 0 })));
      const takings = subscribers.map((subscribed) => takeEvents(expectOk(subscribed), 2 + 12));
      await Promise.all(
        ['u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map(async (member) => {
          expectOk(await f.cx.agents.add('acme', 'help', [member]));
          expectOk(await f.cx.agents.remove('acme', 'help', member));
        }),
      );
      const seen = await Promise.all(takings);
      for (const events of seen) expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
    });

    it('R52: it ends without error when the signal aborts, also while waiting, and an aborted signal gives an empty iteration', async () => {
      await seedProduct(f.cx);
      const controller = new AbortController();
      const subscribed = expectOk(await f.cx.events.subscribe('acme', { after: 0, signal: controller.signal }));
      const seen: CxEvent[] = [];
      const done = (async () => {
        for await (const event of subscribed) {
          seen.push(event);
          if (event.seq === 2) controller.abort();
        }
      })();
      await seedProduct(f.cx, { productId: 'pro' });
      await done;
      expect(seen.map((event) => event.seq)).toEqual([1, 2]);
      expect(await drain(expectOk(await f.cx.events.subscribe('acme', { after: 0, signal: controller.signal })))).toEqual([]);
    });

    it('R52: bad options are validation errors', async () => {
      expectErr(await f.cx.events.subscribe('acme', { after: -1 }), 'validation');
      expectErr(await f.cx.events.subscribe('acme', { signal: 'stop' } as never), 'validation');
      expectErr(await f.cx.events.subscribe('acme', { since: 3 } as never), 'validation');
      expectErr(await f.cx.events.subscribe('', {}), 'validation');
    });
  });
}

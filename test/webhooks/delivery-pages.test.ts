import { describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { CONTACT_URL_BASE, FIXTURE_MEMBERS } from '../../testing/conformance-fixture.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { webhookReceiver } from '../../testing/webhook-receiver.js';

describe('webhook delivery across pages of events (R54)', () => {
  it('R54: endpoints added at different points of a long stream each receive exactly the later events of their types, once, in seq order', async () => {
    const receiver = await webhookReceiver();
    try {
      const cx = createCxAccounts({
        store: memoryStore(),
        directory: memoryDirectory(FIXTURE_MEMBERS),
        contactUrlBase: CONTACT_URL_BASE,
        webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true },
      });
      const product = (index: number) => cx.products.set('acme', { productId: `p${index}`, name: `P${index}`, seatLimit: 3, quantity: 1 });
      const endpoints: { id: string; path: string; types?: string[]; after: number }[] = [];
      const addEndpoint = async (path: string, types?: string[]) => {
        const added = expectOk(await cx.webhooks.add('acme', { url: receiver.url(path), ...(types ? { types } : {}) }));
        const { events } = expectOk(await cx.events.read('acme', { limit: 1000 }));
        endpoints.push({ id: added.id, path, ...(types ? { types } : {}), after: events.at(-1)!.seq });
      };
      // Three endpoints, each starting at its own seq, with ~450 events around them: the runner
      // reads pages of 200 from multiples of 200 and shares them, each endpoint from its own place.
      await addEndpoint('/all');
      for (let index = 0; index < 137; index++) expectOk(await product(index));
      await addEndpoint('/products', ['product.set']);
      for (let index = 137; index < 301; index++) expectOk(await product(index));
      await addEndpoint('/endpoints', ['webhook.added']);
      await addEndpoint('/late');
      for (let index = 301; index < 450; index++) expectOk(await product(index));
      expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ failed: 0 });

      const { events } = expectOk(await cx.events.read('acme', { limit: 1000 }));
      for (const endpoint of endpoints) {
        const expected = events.filter((event) => event.seq > endpoint.after && (!endpoint.types || endpoint.types.includes(event.type))).map((event) => event.seq);
        const received = receiver.at(endpoint.path).map((request) => Number(String(request.headers['webhook-id']).split(':')[1]));
        expect(received, endpoint.path).toEqual(expected);
      }
      expect(receiver.at('/endpoints')).toHaveLength(1);
      expect(receiver.at('/all').length).toBeGreaterThan(450);
    } finally {
      await receiver.close();
    }
  });
});

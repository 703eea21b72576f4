import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { StoreError } from '../../src/ports/store-error.js';
import { LEASE_MS } from '../../src/webhooks/delivery-runner.js';
import { CONTACT_URL_BASE, FIXTURE_MEMBERS, makeFixture, type Fixture } from '../../testing/conformance-fixture.js';
import { expectErr, expectOk } from '../../testing/conformance/expectations.js';
import { seedProduct } from '../../testing/conformance/seed.js';
import { webhookReceiver } from '../../testing/webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

/**
 * The memory store, whose webhook attempts cannot be recorded while `failing.attempts` is set:
 * the store fails after the POST went out and before its outcome is kept.
 */
function faultyStore(failing: { attempts: boolean; everything: boolean }): Store {
  const inner = memoryStore();
  return {
    ...inner,
    transaction: (domainId, mode, work) => {
      if (failing.everything) return Promise.reject(new StoreError('connection refused'));
      return inner.transaction!(domainId, mode, (tx) => {
        const hooks = tx.webhooks!.bind(tx);
        const faulty: StoreTransaction = Object.assign(Object.create(tx) as StoreTransaction, {
          webhooks: () => ({
            ...hooks(),
            insertAttempt: async (...args: Parameters<ReturnType<typeof hooks>['insertAttempt']>) => {
              if (failing.attempts) throw new StoreError('connection lost while recording');
              return hooks().insertAttempt(...args);
            },
          }),
        });
        return work(faulty);
      });
    },
    listDueWebhookEndpoints: (now, limit) => {
      if (failing.everything) return Promise.reject(new StoreError('connection refused'));
      return inner.listDueWebhookEndpoints!(now, limit);
    },
    recordWebhookDelivery: (domainId, endpointId, leaseToken, state, attempt) => {
      if (failing.everything) return Promise.reject(new StoreError('connection refused'));
      if (failing.attempts && attempt) return Promise.reject(new StoreError('connection lost while recording'));
      return inner.recordWebhookDelivery!(domainId, endpointId, leaseToken, state, attempt);
    },
  };
}

describe('webhook delivery when the store fails (issue 21: bad input and faults)', () => {
  let receiver: Receiver;
  let failing: { attempts: boolean; everything: boolean };
  let f: Fixture;
  let cx: CxAccounts;
  beforeEach(async () => {
    receiver = await webhookReceiver();
    failing = { attempts: false, everything: false };
    f = makeFixture(faultyStore(failing));
    cx = createCxAccounts({
      store: f.store,
      directory: memoryDirectory(FIXTURE_MEMBERS),
      contactUrlBase: CONTACT_URL_BASE,
      clock: f.now,
      webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true },
    });
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('R54: a store that fails while recording a delivery answers store_failure and keeps the event pending; once the lease runs out it is sent again (at least once)', async () => {
    const endpoint = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/hook') }));
    await seedProduct(cx);
    failing.attempts = true;
    expectErr(await cx.webhooks.runPendingDeliveries(), 'store_failure');
    // It went out, but nothing says so in the store.
    expect(receiver.at('/hook')).toHaveLength(1);
    expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items).toEqual([]);
    failing.attempts = false;
    // The dead pass's lease still holds the endpoint: nothing is sent twice at once.
    expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 0 });
    expect(receiver.at('/hook')).toHaveLength(1);
    f.setNow(new Date(f.now().getTime() + LEASE_MS + 1));
    expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 1, failed: 0 });
    const seqs = receiver.at('/hook').map((request) => (JSON.parse(request.body) as { cxseq: number }).cxseq);
    expect(seqs).toEqual([2, 2]);
    expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items.map((item) => [item.seq, item.attempt, item.status])).toEqual([[2, 1, 204]]);
    // Delivered now: nothing more goes out.
    expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 0 });
    expect(receiver.at('/hook')).toHaveLength(2);
  });

  it('R27: a store that cannot be reached answers store_failure and sends nothing; the events wait for it', async () => {
    expectOk(await cx.webhooks.add('acme', { url: receiver.url('/hook') }));
    await seedProduct(cx);
    failing.everything = true;
    expectErr(await cx.webhooks.runPendingDeliveries(), 'store_failure');
    expect(receiver.received).toHaveLength(0);
    failing.everything = false;
    expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 1 });
    expect(receiver.at('/hook')).toHaveLength(1);
  });
});

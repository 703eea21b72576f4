import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryDirectory, memoryStore } from '../../adapters/memory/index.js';
import { createCxAccounts, type CloudEvent } from '../../src/index.js';
import { createReceiverApp } from '../../examples/webhook-receiver.js';
import { expectOk } from '../../testing/conformance/expectations.js';

let server: ServerType | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

describe('examples/webhook-receiver.ts', () => {
  it('R54: verifies real deliveries with the Standard Webhooks library, handles each event once, and refuses a forged one', async () => {
    const cx = createCxAccounts({
      store: memoryStore(),
      directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
      contactUrlBase: 'https://talk.example.com/add/',
      webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true },
    });
    const handled: CloudEvent[] = [];
    let secret = '';
    // The app is made once the secret is known; the server asks for it per request.
    let app: ReturnType<typeof createReceiverApp> | null = null;
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: (request) => app!.fetch(request), hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
    });
    const endpoint = expectOk(await cx.webhooks.add('acme', { url: `http://127.0.0.1:${port}/cx-webhooks` }));
    secret = endpoint.secret;
    app = createReceiverApp(secret, (event) => {
      handled.push(event);
    });
    expectOk(await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 1 }));
    expectOk(await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }));
    expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 2, failed: 0 });
    expect(handled.map((event) => [event.type, event.cxseq, event.subject])).toEqual([
      ['cx.product.set', 2, undefined],
      ['cx.account.created', 3, 'help'],
    ]);

    const forged = await app.request('/cx-webhooks', {
      method: 'POST',
      headers: { 'webhook-id': 'acme:9', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: '{}',
    });
    expect(forged.status).toBe(401);
    expect(handled).toHaveLength(2);
  });
});

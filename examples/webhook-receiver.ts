/**
 * A receiver of cx-accounts webhooks, on hono and @hono/node-server: it verifies each
 * delivery with the Standard Webhooks library, reads the CloudEvent, and ignores a delivery
 * it has seen (deliveries are at least once).
 *
 * ```sh
 * CX_WEBHOOK_SECRET=whsec_… npx tsx examples/webhook-receiver.ts   # listens on 127.0.0.1:8788
 * ```
 *
 * Tests use {@link createReceiverApp} with `app.request(…)`, without a port.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { CloudEvent } from '../src/index.js';

/**
 * The app: `POST /cx-webhooks` answers 204 for a delivery it verified (handing the event to
 * `handle` once per CloudEvent `id`), and 401 for one it could not.
 */
export function createReceiverApp(secret: string, handle: (event: CloudEvent) => void | Promise<void>) {
  const verifier = new Webhook(secret);
  // A real service keeps this in its database, next to what `handle` changed.
  const seen = new Set<string>();
  const app = new Hono();
  app.post('/cx-webhooks', async (c) => {
    // Verify the exact bytes that were signed: read the body as text, not as parsed JSON.
    const body = await c.req.text();
    let event: CloudEvent;
    try {
      event = verifier.verify(body, {
        'webhook-id': c.req.header('webhook-id') ?? '',
        'webhook-timestamp': c.req.header('webhook-timestamp') ?? '',
        'webhook-signature': c.req.header('webhook-signature') ?? '',
      }) as CloudEvent;
    } catch (error) {
      if (error instanceof WebhookVerificationError) return c.body(null, 401);
      throw error;
    }
    if (!seen.has(event.id)) {
      await handle(event);
      seen.add(event.id);
    }
    // Answer fast (within 15 s): a slow answer is a failed attempt that comes again.
    return c.body(null, 204);
  });
  return app;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const secret = process.env['CX_WEBHOOK_SECRET'];
  if (!secret) throw new Error('set CX_WEBHOOK_SECRET to the secret webhooks.add answered');
  const app = createReceiverApp(secret, (event) => console.log(event.cxseq, event.type, event.subject ?? '-', JSON.stringify(event.data)));
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env['PORT'] ?? 8788) });
  console.log('listening on http://127.0.0.1:8788/cx-webhooks');
}

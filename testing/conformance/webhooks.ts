import { CloudEvent as SdkCloudEvent } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { ok } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { WebhookEndpointRecord } from '../../src/ports/webhook-port.js';
import type { WebhookOptions } from '../../src/webhooks/webhook-options.js';
import { CONTACT_URL_BASE, FIXTURE_MEMBERS, type Fixture } from '../conformance-fixture.js';
import { answer, webhookReceiver, type ReceivedRequest } from '../webhook-receiver.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

/** A `cx` on the fixture's store and clock, with webhooks set for local tests (manual runner, http, 127.0.0.1). */
function webhookCx(f: Fixture, options: WebhookOptions = {}): CxAccounts {
  return createCxAccounts({
    store: f.store,
    directory: memoryDirectory(FIXTURE_MEMBERS),
    contactUrlBase: CONTACT_URL_BASE,
    clock: f.now,
    webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true, ...options },
  });
}

/** Checks a request as a receiver with the Standard Webhooks library would, and parses its body with the CloudEvents SDK. */
function verified(secret: string, request: ReceivedRequest): SdkCloudEvent<Record<string, unknown>> {
  const payload = new Webhook(secret).verify(request.body, request.headers) as Record<string, unknown>;
  expect(request.headers['content-type']).toBe('application/cloudevents+json');
  expect(request.headers['webhook-id']).toBe(payload['id']);
  const event = new SdkCloudEvent<Record<string, unknown>>(payload as never, true);
  expect(event.validate()).toBe(true);
  return event;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export function webhookCases(fixture: () => Fixture) {
  describe('webhooks (R53–R55)', () => {
    let f: Fixture;
    let cx: CxAccounts;
    let receiver: Receiver;
    /** Bytes of the 2 GB answer the receiver managed to hand to its socket before the sender let go. */
    let hugeBytesWritten = 0;
    beforeEach(async () => {
      f = fixture();
      cx = webhookCx(f);
      hugeBytesWritten = 0;
      receiver = await webhookReceiver({
        '/fail': answer(500),
        '/redirect': (_request, response) => response.writeHead(302, { location: '/ok' }).end(),
        '/slow': (_request, response) => {
          // Far beyond any timeout of these tests: the answer never comes in time, however slow the machine.
          setTimeout(() => response.writeHead(204).end(), 120_000).unref();
        },
        '/close': (request) => request.socket.destroy(),
        '/huge': (_request, response) => {
          // 2 GB announced and streamed on demand: a sender that read it would take minutes.
          response.writeHead(500, { 'content-length': String(2 * 1024 ** 3) });
          const chunk = Buffer.alloc(64 * 1024, 120);
          const pump = () => {
            for (;;) {
              if (response.destroyed) return;
              hugeBytesWritten += chunk.length;
              if (!response.write(chunk)) return;
            }
          };
          response.on('drain', pump);
          pump();
        },
      });
    });
    afterEach(async () => {
      await receiver.close();
    });

    it('R53: add answers the endpoint with a Standard Webhooks secret, list shows it, and webhook.added is appended', async () => {
      const endpoint = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/ok'), types: ['agents.added'], description: 'CRM' }));
      expect(endpoint).toMatchObject({ url: receiver.url('/ok'), types: ['agents.added'], description: 'CRM', status: 'active', createdAt: f.now() });
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(atob(endpoint.secret.slice(6)).length).toBeGreaterThanOrEqual(24);
      const other = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/all') }));
      expect(other.types).toBeNull();
      expect(other.secret).not.toBe(endpoint.secret);
      expect(expectOk(await cx.webhooks.list('acme')).map((each) => each.id).sort()).toEqual([endpoint.id, other.id].sort());
      expect(expectOk(await cx.webhooks.list('globex'))).toEqual([]);
      const { events } = expectOk(await cx.events.read('acme'));
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['webhook.added', { endpointId: endpoint.id }],
        ['webhook.added', { endpointId: other.id }],
      ]);
    });

    it('R53: a bad URL, an unknown event type or an unknown field is a validation error, and nothing is stored', async () => {
      const strict = webhookCx(f, { allowHttp: false });
      const refused: [CxAccounts, unknown][] = [
        [strict, { url: receiver.url('/ok') }],
        [cx, { url: 'ftp://hooks.example.com/x' }],
        [cx, { url: '/relative/path' }],
        [cx, { url: 'https://user:secret@hooks.example.com/x' }],
        [cx, { url: 'https://hooks.example.com/a b' }],
        [cx, { url: 'https://hooks.example.com/x\n' }],
        [cx, { url: `https://hooks.example.com/${'a'.repeat(2000)}` }],
        [cx, { url: 'https://hooks.example.com/x', types: ['agents.added', 'agent.added'] }],
        [cx, { url: 'https://hooks.example.com/x', types: [] }],
        [cx, { url: 'https://hooks.example.com/x', secret: 'mine' }],
        [cx, null],
      ];
      for (const [client, input] of refused) {
        const error = expectErr(await client.webhooks.add('acme', input as never), 'validation');
        expect(error.issues.length).toBeGreaterThan(0);
      }
      expect(expectOk(await cx.webhooks.list('acme'))).toEqual([]);
      expect(expectOk(await cx.events.read('acme')).lastSeq).toBe(0);
      expectOk(await strict.webhooks.add('acme', { url: `https://hooks.example.com/${'a'.repeat(1970)}` }));
    });

    it('R53: an endpoint of another domain (or an unknown one) is not_found, entity webhook', async () => {
      const endpoint = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/ok') }));
      for (const error of [
        expectErr(await cx.webhooks.remove('globex', endpoint.id), 'not_found'),
        expectErr(await cx.webhooks.enable('globex', endpoint.id), 'not_found'),
        expectErr(await cx.webhooks.deliveries('globex', endpoint.id), 'not_found'),
        expectErr(await cx.webhooks.remove('acme', 'no-such-endpoint'), 'not_found'),
      ]) {
        expect(error.entity).toBe('webhook');
      }
      expect(expectOk(await cx.webhooks.list('acme'))).toHaveLength(1);
    });

    it('R54: each later event of its types is POSTed in seq order, signed (Standard Webhooks) as a CloudEvent; its own webhook.added is not', async () => {
      const all = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/all') }));
      const agents = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/agents'), types: ['agents.added', 'agents.removed'] }));
      await seedProduct(cx);
      await seedAccount(cx, { agentIds: ['u1'] });
      expectOk(await cx.as('admin:u1').agents.add('acme', 'help', ['u2']));
      expectOk(await cx.agents.remove('acme', 'help', 'u2'));
      const report = expectOk(await cx.webhooks.runPendingDeliveries());
      expect(report).toMatchObject({ delivered: 5 + 2, failed: 0 });

      const toAll = receiver.at('/all').map((request) => verified(all.secret, request));
      expect(toAll.map((event) => [event.cxseq, event.type])).toEqual([
        [2, 'cx.webhook.added'],
        [3, 'cx.product.set'],
        [4, 'cx.account.created'],
        [5, 'cx.agents.added'],
        [6, 'cx.agents.removed'],
      ]);
      expect(toAll[3]).toMatchObject({ id: 'acme:5', source: 'urn:cx-accounts:acme', subject: 'help', cxactor: 'admin:u1', data: { memberIds: ['u2'] } });
      const toAgents = receiver.at('/agents').map((request) => verified(agents.secret, request));
      expect(toAgents.map((event) => event.cxseq)).toEqual([5, 6]);
      // A signature made with another endpoint's secret does not verify.
      expect(() => new Webhook(agents.secret).verify(receiver.at('/all')[0]!.body, receiver.at('/all')[0]!.headers)).toThrow();

      const page = expectOk(await cx.webhooks.deliveries('acme', agents.id));
      expect(page.items.map((item) => [item.seq, item.attempt, item.status, item.error])).toEqual([
        [6, 1, 204, null],
        [5, 1, 204, null],
      ]);
      expect(page.nextCursor).toBeNull();
      // Nothing is sent twice: a second pass has nothing to do.
      expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 0, failed: 0 });
      expect(receiver.received).toHaveLength(7);
    });

    it('R54: a failing endpoint is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by the store clock, later events wait, then it is disabled; enable resumes with the first undelivered event', async () => {
      const failing = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/fail') }));
      await seedProduct(cx);
      await seedProduct(cx, { productId: 'pro' });
      expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 0, failed: 1 });
      // Not due yet: nothing is sent, the later event waits too.
      f.setNow(new Date(f.now().getTime() + 4 * SECOND));
      expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ failed: 0 });
      for (const delay of [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]) {
        f.setNow(new Date(f.now().getTime() + delay));
        expect(expectOk(await cx.webhooks.runPendingDeliveries())).toMatchObject({ failed: 1 });
      }
      expect(receiver.at('/fail').map((request) => verified(failing.secret, request).cxseq)).toEqual(new Array(8).fill(2));
      const [disabled] = expectOk(await cx.webhooks.list('acme'));
      expect(disabled!.status).toBe('disabled');
      const page = expectOk(await cx.webhooks.deliveries('acme', failing.id, { limit: 3 }));
      expect(page.items.map((item) => [item.seq, item.attempt, item.status, item.error])).toEqual([
        [2, 8, 500, 'HTTP 500'],
        [2, 7, 500, 'HTTP 500'],
        [2, 6, 500, 'HTTP 500'],
      ]);
      const rest = expectOk(await cx.webhooks.deliveries('acme', failing.id, { cursor: page.nextCursor! }));
      expect(rest.items.map((item) => item.attempt)).toEqual([5, 4, 3, 2, 1]);
      expect(rest.nextCursor).toBeNull();
      const { events } = expectOk(await cx.events.read('acme'));
      expect(events[events.length - 1]).toMatchObject({ type: 'webhook.disabled', data: { endpointId: failing.id } });

      // Disabled: nothing more is sent, however late it gets.
      f.setNow(new Date(f.now().getTime() + 100 * HOUR));
      expectOk(await cx.webhooks.runPendingDeliveries());
      expect(receiver.at('/fail')).toHaveLength(8);

      const enabled = expectOk(await cx.webhooks.enable('acme', failing.id));
      expect(enabled.status).toBe('active');
      expectOk(await cx.webhooks.runPendingDeliveries());
      expect(receiver.at('/fail').map((request) => verified(failing.secret, request).cxseq)).toEqual([...new Array(9).fill(2)]);
      // Attempts go on being numbered per event; the retry schedule starts over (5 s).
      expect(expectOk(await cx.webhooks.deliveries('acme', failing.id, { limit: 1 })).items[0]).toMatchObject({ seq: 2, attempt: 9 });
      f.setNow(new Date(f.now().getTime() + 5 * SECOND));
      expectOk(await cx.webhooks.runPendingDeliveries());
      expect(receiver.at('/fail')).toHaveLength(10);
      expect(expectOk(await cx.webhooks.list('acme'))[0]!.status).toBe('active');
      expect(expectOk(await cx.events.read('acme')).events.slice(-1)[0]).toMatchObject({ type: 'webhook.enabled' });
      // Enabling an active endpoint changes nothing.
      const lastSeq = expectOk(await cx.events.read('acme')).lastSeq;
      expectOk(await cx.webhooks.enable('acme', failing.id));
      expect(expectOk(await cx.events.read('acme')).lastSeq).toBe(lastSeq);
    });

    it('R54: a slow answer, a closed connection, a redirect and a 2 GB body are failed attempts with a short error', async () => {
      // Short enough to keep the test quick, long enough that the other three answer within it
      // on a loaded machine (at 300 ms the 500 of /huge came too late there with load average 20).
      const quick = webhookCx(f, { timeoutMs: 2000 });
      const paths = ['/slow', '/close', '/redirect', '/huge'];
      const endpoints = [];
      for (const path of paths) endpoints.push(expectOk(await quick.webhooks.add('acme', { url: receiver.url(path) })));
      await seedProduct(quick);
      const report = expectOk(await quick.webhooks.runPendingDeliveries());
      expect(report).toMatchObject({ delivered: 0, failed: 4 });
      const errors: Record<string, string | null> = {};
      for (const [index, endpoint] of endpoints.entries()) {
        const [attempt] = expectOk(await quick.webhooks.deliveries('acme', endpoint.id)).items;
        expect(attempt!.error!.length).toBeLessThanOrEqual(200);
        errors[paths[index]!] = attempt!.error;
      }
      expect(errors['/slow']).toMatch(/timeout/);
      expect(errors['/close']).toMatch(/ECONNRESET|socket hang up|closed/i);
      expect(errors['/redirect']).toBe('redirect not followed (HTTP 302)');
      expect(errors['/huge']).toBe('HTTP 500');
      // Memory stays flat: the sender read at most what fills the sockets' buffers, then closed.
      expect(hugeBytesWritten).toBeGreaterThan(0);
      expect(hugeBytesWritten).toBeLessThan(64 * 1024 ** 2);
      // The redirect was not followed.
      expect(receiver.at('/ok')).toHaveLength(0);
    });

    it('R54: the in-process runner delivers without a call to runPendingDeliveries, in seq order', async () => {
      const background = webhookCx(f, { runner: 'in-process' });
      const endpoint = expectOk(await background.webhooks.add('acme', { url: receiver.url('/background') }));
      await seedProduct(background);
      await seedProduct(background, { productId: 'pro' });
      const deadline = Date.now() + 20_000;
      while (receiver.at('/background').length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(receiver.at('/background').map((request) => verified(endpoint.secret, request).cxseq)).toEqual([2, 3]);
      const deadlineRecorded = Date.now() + 5_000;
      let recorded = expectOk(await background.webhooks.deliveries('acme', endpoint.id)).items;
      while (recorded.length < 2 && Date.now() < deadlineRecorded) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        recorded = expectOk(await background.webhooks.deliveries('acme', endpoint.id)).items;
      }
      expect(recorded.map((item) => [item.seq, item.status])).toEqual([
        [3, 204],
        [2, 204],
      ]);
    });

    it('R55: without allowPrivateNetworks a delivery to 127.0.0.1 or a name that resolves to it is blocked_address', async () => {
      const guarded = webhookCx(f, { allowPrivateNetworks: false });
      const byAddress = expectOk(await guarded.webhooks.add('acme', { url: receiver.url('/ok') }));
      const byName = expectOk(await guarded.webhooks.add('acme', { url: `http://localhost:${receiver.port}/ok` }));
      await seedProduct(guarded);
      expect(expectOk(await guarded.webhooks.runPendingDeliveries())).toMatchObject({ delivered: 0, failed: 2 });
      for (const endpoint of [byAddress, byName]) {
        const [attempt] = expectOk(await guarded.webhooks.deliveries('acme', endpoint.id)).items;
        expect(attempt).toMatchObject({ status: null, error: 'blocked_address' });
      }
      expect(receiver.received).toHaveLength(0);
    });

    it('R33: a runner called through cx.as(actor) stamps the webhook.disabled it appends with that actor; remove appends webhook.removed', async () => {
      const failing = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/fail') }));
      await seedProduct(cx);
      for (let attempt = 0; attempt < 8; attempt++) {
        expectOk(await cx.as('worker:7').webhooks.runPendingDeliveries());
        f.setNow(new Date(f.now().getTime() + 11 * HOUR));
      }
      const disabled = expectOk(await cx.events.read('acme')).events.find((event) => event.type === 'webhook.disabled');
      expect(disabled).toMatchObject({ actor: 'worker:7', data: { endpointId: failing.id } });
      expectOk(await cx.as('admin:u1').webhooks.remove('acme', failing.id));
      expect(expectOk(await cx.events.read('acme')).events.slice(-1)[0]).toMatchObject({ type: 'webhook.removed', actor: 'admin:u1' });
      expect(expectOk(await cx.webhooks.list('acme'))).toEqual([]);
      expectErr(await cx.webhooks.deliveries('acme', failing.id), 'not_found');
    });

    it('R54: recordWebhookDelivery writes the delivery state and the attempt only while the lease token holds the active endpoint; otherwise nothing changes', async () => {
      const store = f.store;
      expect(store.recordWebhookDelivery).toBeTypeOf('function');
      const record = store.recordWebhookDelivery!.bind(store);
      const endpoint = expectOk(await cx.webhooks.add('acme', { url: receiver.url('/ok') }));
      const stored = async () => {
        const read = await store.transaction!('acme', 'read', async (tx) => ok(await tx.webhooks!().getEndpoint(endpoint.id)));
        return expectOk(read)!;
      };
      const setStored = async (change: Partial<WebhookEndpointRecord>) => {
        expectOk(await store.transaction!('acme', 'write', async (tx) => ok(await tx.webhooks!().updateEndpoint({ ...(await tx.webhooks!().getEndpoint(endpoint.id))!, ...change }))));
      };
      const leaseUntil = new Date(f.now().getTime() + MINUTE);
      await setStored({ leaseToken: 'runner-a', leaseUntil });
      const before = await stored();
      const state = { deliveredSeq: before.deliveredSeq + 1, attempt: 0, nextAttemptAt: null, leaseToken: 'runner-a', leaseUntil: new Date(leaseUntil.getTime() + MINUTE) };
      const attempt = { endpointId: endpoint.id, seq: before.deliveredSeq + 1, attempt: 1, at: f.now(), status: 204, error: null, durationMs: 3 };

      // Another runner's token, an unknown endpoint, another domain: false, nothing written.
      expect(await record('acme', endpoint.id, 'runner-b', state, attempt)).toBe(false);
      expect(await record('acme', 'no-such-endpoint', 'runner-a', state, attempt)).toBe(false);
      expect(await record('globex', endpoint.id, 'runner-a', state, attempt)).toBe(false);
      expect(await stored()).toEqual(before);
      expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items).toEqual([]);

      // The holder: the state and the attempt, together.
      expect(await record('acme', endpoint.id, 'runner-a', state, attempt)).toBe(true);
      expect(await stored()).toEqual({ ...before, ...state });
      expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items).toMatchObject([{ seq: attempt.seq, attempt: 1, status: 204, error: null }]);

      // Letting go without an attempt, then no more: the token no longer holds it.
      const released = { ...state, leaseToken: null, leaseUntil: null };
      expect(await record('acme', endpoint.id, 'runner-a', released, null)).toBe(true);
      expect(await stored()).toEqual({ ...before, ...released });
      expect(await record('acme', endpoint.id, 'runner-a', state, { ...attempt, seq: attempt.seq + 1 })).toBe(false);

      // A disabled endpoint is held by nobody, even with its old token.
      await setStored({ status: 'disabled', leaseToken: 'runner-a', leaseUntil });
      const disabled = await stored();
      expect(await record('acme', endpoint.id, 'runner-a', state, { ...attempt, seq: attempt.seq + 1 })).toBe(false);
      expect(await stored()).toEqual(disabled);
      expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items).toHaveLength(1);
    });
  });
}

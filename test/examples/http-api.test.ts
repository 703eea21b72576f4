import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCxAccounts } from '../../src/index.js';
import { memoryDirectory, memoryStore } from '../../adapters/memory/index.js';
import { createApp, DEMO_MEMBERS, preferredLocale, type Problem } from '../../examples/http-api.js';
import { startExample, stopExample } from './run-example.js';

type App = ReturnType<typeof createApp>;

function freshApp(): App {
  const cx = createCxAccounts({
    store: memoryStore(),
    directory: memoryDirectory(DEMO_MEMBERS),
    contactUrlBase: 'https://talk.example.com/add/',
    clock: () => new Date('2026-11-25T03:00:00Z'),
  });
  return createApp(cx);
}

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Problem;
  expect(body.status).toBe(response.status);
  return body;
}

describe('examples/http-api.ts', () => {
  let app: App;
  beforeEach(async () => {
    app = freshApp();
    const product = await app.request('/domains/acme/products/basic', json('PUT', { name: 'Basic', seatLimit: 2, quantity: 3 }));
    expect(product.status).toBe(200);
  });

  const createHelp = () =>
    app.request('/domains/acme/accounts', json('POST', { productId: 'basic', name: 'Help desk', id: 'help', agentIds: ['u1'] }));

  it('creates an account and reads it back, listed and counted (R1, R2, R9, R10)', async () => {
    const created = await createHelp();
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/domains/acme/accounts/help');
    expect(created.headers.get('etag')).toBe('"1"');
    const account = (await created.json()) as { id: string; version: number; contactUrl: string; activatedAt: string };
    expect(account).toMatchObject({ id: 'help', version: 1, activatedAt: '2026-11-25T03:00:00.000Z' });
    expect(account.contactUrl).toMatch(/^https:\/\/talk\.example\.com\/add\/[A-Za-z0-9_-]{22,}$/);

    const read = await app.request('/domains/acme/accounts/help');
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');

    const added = await app.request('/domains/acme/accounts/help/agents', json('POST', { memberIds: ['u2'] }, { 'if-match': '"1"' }));
    expect(added.status).toBe(200);
    expect(added.headers.get('etag')).toBe('"2"');
    expect(((await added.json()) as { agentIds: string[] }).agentIds).toEqual(['u1', 'u2']);

    const removed = await app.request('/domains/acme/accounts/help/agents/u1', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { agentIds: string[] }).agentIds).toEqual(['u2']);

    const overview = await (await app.request('/domains/acme/products')).json();
    expect(overview).toMatchObject({ totalPurchased: 3, activeAccounts: 1, products: [{ productId: 'basic', inUse: 1, quantity: 3 }] });

    const members = await (await app.request('/domains/acme/members?q=kim')).json();
    expect(members).toEqual([expect.objectContaining({ id: 'u1', name: 'Kim Minji' })]);
  });

  it('pages the account list with limit and cursor, and a Link to the next page (R10)', async () => {
    for (const id of ['alpha', 'beta', 'gamma']) {
      const created = await app.request('/domains/acme/accounts', json('POST', { productId: 'basic', name: id, id, agentIds: ['u1'] }));
      expect(created.status).toBe(201);
    }
    const first = await app.request('/domains/acme/accounts?limit=2');
    const firstPage = (await first.json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(firstPage.items.map((item) => item.id)).toEqual(['alpha', 'beta']);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const link = first.headers.get('link');
    expect(link).toMatch(/^<\/domains\/acme\/accounts\?limit=2&cursor=[^>]+>; rel="next"$/);

    const second = await app.request(link!.slice(1, link!.indexOf('>')));
    const secondPage = (await second.json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(secondPage).toMatchObject({ items: [{ id: 'gamma' }], nextCursor: null });
    expect(second.headers.get('link')).toBeNull();

    const bad = await problemOf(await app.request('/domains/acme/accounts?limit=abc'));
    expect(bad.status).toBe(400);
    expect(bad.issues?.length).toBeGreaterThan(0);
  });

  it('answers a seat-limit violation as a 409 problem in the requested language (R4, R15)', async () => {
    await createHelp();
    const response = await app.request(
      '/domains/acme/accounts/help/agents',
      json('POST', { memberIds: ['u2', 'u3'] }, { 'accept-language': 'fr-CA, ko-KR;q=0.9, en;q=0.5' }),
    );
    expect(response.status).toBe(409);
    expect(response.headers.get('content-language')).toBe('ko');
    const body = await problemOf(response);
    expect(body).toMatchObject({
      type: 'urn:cx-accounts:error:seat-limit-exceeded',
      title: 'Seat limit exceeded',
      status: 409,
      code: 'seat_limit_exceeded',
      instance: '/domains/acme/accounts/help/agents',
    });
    expect(body.detail).toMatch(/[\uac00-\ud7a3]/u);
    expect(body.detail).toContain('좌석 한도 2명');

    const english = await problemOf(await app.request('/domains/acme/accounts/help/agents', json('POST', { memberIds: ['u2', 'u3'] })));
    expect(english.detail).toMatch(/^The account would have more agents/);
  });

  it('answers invalid input as a 400 problem with its issues (R6, R27)', async () => {
    const response = await app.request(
      '/domains/acme/accounts',
      json('POST', { productId: 'basic', name: 'Help desk', id: 'Help-Desk', agentIds: ['u1'], colour: 'red' }, { 'accept-language': 'ja' }),
    );
    expect(response.status).toBe(400);
    const body = await problemOf(response);
    expect(body.type).toBe('urn:cx-accounts:error:validation');
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'id' })]));
    expect(body.detail).toMatch(/^入力内容/);
    for (const issue of body.issues!) if (issue.path) expect(body.detail).toContain(`(${issue.path})`);
    expect(body.detail).toContain('colour');

    const notJson = await problemOf(
      await app.request('/domains/acme/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
    );
    expect(notJson).toMatchObject({ status: 400, code: 'validation' });

    const wrongProduct = await problemOf(
      await app.request('/domains/acme/products/pro', json('PUT', { productId: 'basic', name: 'Pro', seatLimit: 5, quantity: 1 })),
    );
    expect(wrongProduct.issues).toEqual([expect.objectContaining({ path: 'productId' })]);
  });

  it('answers 412 when If-Match names a stale version, and changes nothing (R12)', async () => {
    await createHelp();
    const renamed = await app.request('/domains/acme/accounts/help', json('PATCH', { name: 'Support' }, { 'if-match': '"1"' }));
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"2"');

    const stale = await app.request('/domains/acme/accounts/help', json('PATCH', { name: 'Late' }, { 'if-match': '"1"' }));
    expect(stale.status).toBe(412);
    expect(await problemOf(stale)).toMatchObject({ type: 'urn:cx-accounts:error:version-conflict', code: 'version_conflict' });

    const weak = await app.request('/domains/acme/accounts/help', json('PATCH', { name: 'Late' }, { 'if-match': 'W/"2"' }));
    expect(weak.status).toBe(412);

    const current = (await (await app.request('/domains/acme/accounts/help')).json()) as { name: string; version: number };
    expect(current).toMatchObject({ name: 'Support', version: 2 });
  });

  it('answers 404 for an account of no one, and for unknown routes', async () => {
    const missing = await problemOf(await app.request('/domains/acme/accounts/nobody'));
    expect(missing).toMatchObject({ status: 404, code: 'not_found', entity: 'account', type: 'urn:cx-accounts:error:not-found' });
    const route = await app.request('/nothing/here');
    expect(route.status).toBe(404);
    expect(route.headers.get('content-type')).toBe('application/problem+json');
  });

  it('renders the contact QR code as PNG and SVG (R11)', async () => {
    await createHelp();
    const png = await app.request('/domains/acme/accounts/help/qr.png?size=256');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    expect(image.width).toBe(256);

    const svg = await app.request('/domains/acme/accounts/help/qr.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg/);

    const tooSmall = await problemOf(await app.request('/domains/acme/accounts/help/qr.png?size=8'));
    expect(tooSmall.status).toBe(400);
  });

  it('resets an account, freeing its ID (R24)', async () => {
    await createHelp();
    const reset = await app.request('/domains/acme/accounts/help/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({
      deletedRooms: 0,
      deletedBots: 0,
      keptBots: 0,
      releasedAgentIds: ['u1'],
      deletedRoomIds: [],
      deletedBotIds: [],
      keptBotIds: [],
    });
    expect((await app.request('/domains/acme/accounts/help')).status).toBe(404);
    expect((await createHelp()).status).toBe(201);
  });

  it('saves hours, messages, channels and holidays in one PUT; swaps agents; departs a member (R34, R35, R43, R44)', async () => {
    expect((await createHelp()).status).toBe(201);
    const saved = await app.request(
      '/domains/acme/accounts/help/settings',
      json('PUT', { awayMessage: 'Closed', channels: { mail: false }, holidays: [{ start: '2026-12-24', end: '2026-12-25' }] }, { 'if-match': '"1"', 'x-actor': 'admin:u1' }),
    );
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    const settings = ((await saved.json()) as { settings: { channels: unknown; holidays: unknown[] } }).settings;
    expect(settings).toMatchObject({ channels: { line: true, mail: false }, holidays: [{ start: '2026-12-24', end: '2026-12-25' }] });
    const past = await app.request('/domains/acme/accounts/help/settings', json('PUT', { holidays: [{ start: '2020-01-01', end: '2020-01-01' }] }));
    expect((await problemOf(past)).code).toBe('holiday_in_past');
    const swapped = await app.request('/domains/acme/accounts/help/agents', json('PUT', { memberIds: ['u2'] }));
    expect(((await swapped.json()) as { agentIds: string[] }).agentIds).toEqual(['u2']);
    const departed = await app.request('/domains/acme/members/u2/depart', json('POST', { replacementId: 'u3' }));
    expect(await departed.json()).toEqual({ accountIds: ['help'], roomIds: [] });
    const refused = await app.request('/domains/acme/accounts/help/contacts', json('POST', { customerId: 'c1', name: 'Lee', channel: 'mail' }));
    expect((await problemOf(refused)).code).toBe('channel_disconnected');
  });

  it('records messages once per Idempotency-Key, pages history, erases a customer, and serves events with their actor (R30, R33, R39, R42, R47)', async () => {
    expect((await createHelp()).status).toBe(201);
    await app.request('/domains/acme/accounts/help/settings', json('PUT', { awayMessage: 'Closed' }));
    expect((await app.request('/domains/acme/accounts/help/contacts', json('POST', { customerId: 'c1', name: 'Lee', channel: 'line' }))).status).toBe(200);
    // The app's clock says Wednesday 03:00 UTC: closed, so the first message gets the away reply.
    const message = { customerId: 'c1', content: 'Hello?', channel: 'line' };
    const first = await app.request('/domains/acme/accounts/help/messages', json('POST', message, { 'idempotency-key': 'wh-1' }));
    expect(first.status).toBe(200);
    const again = await app.request('/domains/acme/accounts/help/messages', json('POST', message, { 'idempotency-key': 'wh-1' }));
    expect(await again.json()).toEqual(await first.json());
    const reply = await app.request('/domains/acme/accounts/help/replies', json('POST', { agentId: 'u1', customerId: 'c1', content: 'Hi Lee' }, { 'x-actor': 'agent:u1' }));
    expect(reply.status).toBe(204);
    const history = (await (await app.request('/domains/acme/history?accountId=help&limit=10')).json()) as { items: { content: string; sender: { kind: string } }[] };
    // The message and its automatic reply share one instant: R39 orders such ties by messageId.
    expect(history.items.map((item) => [item.sender.kind, item.content])).toHaveLength(3);
    expect(history.items.map((item) => [item.sender.kind, item.content])).toEqual(
      expect.arrayContaining([['customer', 'Hello?'], ['account', 'Closed'], ['agent', 'Hi Lee']]),
    );
    const contacts = (await (await app.request('/domains/acme/accounts/help/contacts')).json()) as { items: { customerId: string }[] };
    expect(contacts.items.map((contact) => contact.customerId)).toEqual(['c1']);
    expect(await (await app.request('/domains/acme/customers/c1', { method: 'DELETE' })).json()).toEqual({ contacts: 1, messages: 3, rooms: 0 });
    const events = (await (await app.request('/domains/acme/events?after=0&limit=100')).json()) as { events: { type: string; actor: string | null }[]; lastSeq: number };
    expect(events.lastSeq).toBe(events.events.length);
    expect(events.events.find((event) => event.type === 'message.sent')?.actor).toBe('agent:u1');
    expect(events.events.at(-1)?.type).toBe('customer.erased');
    const bad = await app.request('/domains/acme/events?limit=5000');
    expect((await problemOf(bad)).code).toBe('validation');
  });

  it('chooses the language of Accept-Language by quality', () => {
    expect(preferredLocale(undefined)).toBe('en');
    expect(preferredLocale('ja-JP,ja;q=0.9')).toBe('ja');
    expect(preferredLocale('de, ja;q=0.2, ko;q=0.8')).toBe('ko');
    expect(preferredLocale('ko;q=0, en')).toBe('en');
    expect(preferredLocale('*')).toBe('en');
  });
});

describe('examples/http-api.ts run as a program', () => {
  it('listens on 127.0.0.1 and logs its URL', async () => {
    const { child, match } = await startExample('examples/http-api.ts', /admin API on (http:\/\/127\.0\.0\.1:\d+)/, { PORT: '0' });
    try {
      const base = match[1]!;
      const put = await fetch(`${base}/domains/acme/products/basic`, json('PUT', { name: 'Basic', seatLimit: 1, quantity: 1 }));
      expect(put.status).toBe(200);
      const overview = (await (await fetch(`${base}/domains/acme/products`)).json()) as { totalPurchased: number };
      expect(overview.totalPurchased).toBe(1);
    } finally {
      await stopExample(child);
    }
  });

  it('keeps its data in a SQLite file with CX_SQLITE_FILE, across restarts', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cx-http-'));
    const env = { PORT: '0', CX_SQLITE_FILE: join(directory, 'cx.sqlite') };
    const ready = /admin API on (http:\/\/127\.0\.0\.1:\d+) \(store: SQLite /;
    try {
      const first = await startExample('examples/http-api.ts', ready, env);
      try {
        const put = await fetch(`${first.match[1]}/domains/acme/products/basic`, json('PUT', { name: 'Basic', seatLimit: 1, quantity: 4 }));
        expect(put.status).toBe(200);
      } finally {
        await stopExample(first.child);
      }
      const second = await startExample('examples/http-api.ts', ready, env);
      try {
        const overview = (await (await fetch(`${second.match[1]}/domains/acme/products`)).json()) as { totalPurchased: number };
        expect(overview.totalPurchased).toBe(4);
      } finally {
        await stopExample(second.child);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

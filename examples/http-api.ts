/**
 * A small HTTP admin API that embeds cx-accounts, on hono and @hono/node-server.
 * Run it with `npm run example:http` (or `npx tsx examples/http-api.ts`).
 *
 * - Data lives in memory, or in a SQLite file when `CX_SQLITE_FILE` is set.
 * - It listens on 127.0.0.1, port `PORT` (default 8787). Members `u1`…`u5` of domain `acme`
 *   are known to its directory.
 * - Errors are RFC 9457 problem details (`application/problem+json`) whose `detail` is
 *   written by `formatCxError` in the language of `Accept-Language` (English, Korean, Japanese).
 * - Accounts carry their `version` as a strong `ETag`; send it back in `If-Match` to make a
 *   change conditional (a stale one answers 412).
 *
 * ```sh
 * curl -X PUT localhost:8787/domains/acme/products/basic -H 'content-type: application/json' \
 *   -d '{"name":"Basic","seatLimit":2,"quantity":3}'
 * curl -X POST localhost:8787/domains/acme/accounts -H 'content-type: application/json' \
 *   -d '{"productId":"basic","name":"Help desk","id":"help","agentIds":["u1"]}'
 * curl -X POST localhost:8787/domains/acme/accounts/help/agents -H 'accept-language: ko' \
 *   -H 'content-type: application/json' -d '{"memberIds":["u2","u3"]}'   # → 409 problem, in Korean
 * curl localhost:8787/domains/acme/accounts/help/qr.svg
 * ```
 *
 * Tests use {@link createApp} with `app.request(…)`, without a port.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { createCxAccounts, err, ok, type CxAccounts, type CxError, type Result } from '../src/index.js';
import type { Store } from '../src/store-entry.js';
import { CX_ERROR_LOCALES, cxErrorLocale, formatCxError, type CxErrorLocale } from '../src/format-cx-error.js';
import { memoryDirectory, memoryStore } from '../adapters/memory/index.js';

/**
 * Prefix of the problem `type` URIs. A URN, since this example owns no web address to document
 * the types at (RFC 9457 allows a type URI that does not resolve); a real service would point
 * at its own documentation pages.
 */
export const PROBLEM_TYPE_BASE = 'urn:cx-accounts:error:';

/** The HTTP status and problem title of every error code; a new code fails to compile here. */
const PROBLEMS = {
  validation: { status: 400, title: 'Invalid input' },
  not_found: { status: 404, title: 'Not found' },
  version_conflict: { status: 412, title: 'Version conflict' },
  name_taken: { status: 409, title: 'Account name taken' },
  id_taken: { status: 409, title: 'Account ID taken' },
  product_unavailable: { status: 409, title: 'Product unavailable' },
  seat_limit_exceeded: { status: 409, title: 'Seat limit exceeded' },
  quantity_below_usage: { status: 409, title: 'Quantity below usage' },
  last_agent: { status: 409, title: 'Last agent' },
  already_agent: { status: 409, title: 'Already an agent' },
  holiday_in_past: { status: 409, title: 'Holiday in the past' },
  holiday_overlap: { status: 409, title: 'Holiday overlap' },
  backup_not_ready: { status: 409, title: 'Backup not ready' },
  channel_disconnected: { status: 409, title: 'Channel disconnected' },
  store_failure: { status: 503, title: 'Store unavailable' },
  directory_failure: { status: 503, title: 'Member directory unavailable' },
  internal: { status: 500, title: 'Internal error' },
  config_invalid: { status: 500, title: 'Server misconfigured' },
} as const satisfies Record<CxError['code'], { status: ContentfulStatusCode; title: string }>;

/** An RFC 9457 problem details object, with the error's `code` (and `issues` or `entity`). */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: CxError['code'];
  issues?: { path: string; message: string }[];
  entity?: string;
};

/**
 * The best language of an `Accept-Language` header that `formatCxError` writes, by quality
 * (`ko-KR,ko;q=0.9,en;q=0.8` → `ko`); English when none fits.
 */
export function preferredLocale(acceptLanguage: string | undefined): CxErrorLocale {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/i.exec(parameter)?.[1]).find(Boolean);
      return { tag: tag.trim(), quality: quality === undefined ? 1 : Number(quality), index };
    })
    .filter((range) => range.tag !== '' && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    const primary = range.tag.split('-', 1)[0]!.toLowerCase();
    if (CX_ERROR_LOCALES.some((locale) => locale === primary)) return cxErrorLocale(primary);
  }
  return 'en';
}

/** The problem details of an error, as the response to a request. */
function problem(c: Context, error: CxError): Response {
  const { status, title } = PROBLEMS[error.code];
  const locale = preferredLocale(c.req.header('accept-language'));
  const body: Problem = {
    type: PROBLEM_TYPE_BASE + error.code.replaceAll('_', '-'),
    title,
    status,
    detail: formatCxError(error, locale),
    instance: c.req.path,
    code: error.code,
  };
  if (error.code === 'validation') body.issues = error.issues;
  if (error.code === 'not_found') body.entity = error.entity;
  // The cause of a store failure stays in the server's log; it may name hosts and tables.
  const serverSide = error.code === 'store_failure' || error.code === 'directory_failure' || error.code === 'internal' || error.code === 'config_invalid';
  if (serverSide) console.error(`${c.req.method} ${c.req.path}: ${error.message}`, 'cause' in error ? error.cause : '');
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'content-language': locale };
  if (error.code === 'store_failure' || error.code === 'directory_failure') headers['retry-after'] = '5';
  return c.body(JSON.stringify(body), status, headers);
}

const invalid = (path: string, message: string): CxError => ({
  code: 'validation',
  message: path ? `${path}: ${message}` : message,
  issues: [{ path, message }],
});

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request body as JSON, or a `validation` error. */
async function jsonBody(c: Context): Promise<Result<unknown, CxError>> {
  try {
    return ok(await c.req.json());
  } catch {
    return err(invalid('', 'the request body must be JSON (Content-Type: application/json)'));
  }
}

/**
 * An image in JSON: `{ fileName, data }` with `data` in base64; decoded to bytes so the
 * library checks the PNG itself (R8). Anything else is passed on for the library to refuse.
 */
function decodeImage(input: JsonObject): JsonObject {
  const image = input.image;
  if (!isObject(image) || typeof image.data !== 'string') return input;
  return { ...input, image: { ...image, data: new Uint8Array(Buffer.from(image.data, 'base64')) } };
}

/** A whole-number query parameter as a number; other text is passed on for the library to refuse. */
function numberParameter(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d{1,9}$/.test(value) ? Number(value) : value;
}

/**
 * `If-Match` as an `expectedVersion`: absent or `*` → none; one strong ETag of a version
 * (`"3"`) → that version; anything else can never match → `version_conflict` (412).
 */
function expectedVersion(c: Context): Result<{ expectedVersion?: number }, CxError> {
  const header = c.req.header('if-match')?.trim();
  if (header === undefined || header === '*') return ok({});
  const match = /^"(\d{1,9})"$/.exec(header);
  if (match) return ok({ expectedVersion: Number(match[1]) });
  return err({
    code: 'version_conflict',
    message: `If-Match ${header} is not one strong ETag of an account version, like "3"`,
  });
}

const etag = (version: number) => `"${version}"`;

/**
 * The HTTP admin API over a `CxAccounts`.
 *
 * | method | path | does |
 * | --- | --- | --- |
 * | PUT | `/domains/:domainId/products/:productId` | `products.set` |
 * | GET | `/domains/:domainId/products` | `products.overview` |
 * | GET | `/domains/:domainId/members?q&limit` | `members.search` |
 * | POST | `/domains/:domainId/accounts` | `accounts.create` → 201, `Location`, `ETag` |
 * | GET | `/domains/:domainId/accounts?limit&cursor` | `accounts.list` (+ `Link: rel="next"`) |
 * | GET | `/domains/:domainId/accounts/:accountId` | `accounts.get`, `ETag` |
 * | PATCH | `/domains/:domainId/accounts/:accountId` | `accounts.update`, `If-Match` |
 * | POST | `/domains/:domainId/accounts/:accountId/agents` | `agents.add` (`{ memberIds }`), `If-Match` |
 * | DELETE | `/domains/:domainId/accounts/:accountId/agents/:memberId` | `agents.remove`, `If-Match` |
 * | POST | `/domains/:domainId/accounts/:accountId/reset` | `accounts.reset` |
 * | GET | `/domains/:domainId/accounts/:accountId/qr.png?size` | `accounts.qrCode` (PNG) |
 * | GET | `/domains/:domainId/accounts/:accountId/qr.svg?size` | `accounts.qrCode` (SVG) |
 * | PUT | `/domains/:domainId/accounts/:accountId/agents` | `agents.set` (`{ memberIds }`), `If-Match` |
 * | PUT | `/domains/:domainId/accounts/:accountId/settings` | `settings.update`: hours, messages, channels and the holiday list in one Save, `If-Match` |
 * | POST | `/domains/:domainId/members/:memberId/depart` | `members.depart` (`{ replacementId? }`) |
 * | POST | `/domains/:domainId/accounts/:accountId/contacts` | `conversations.addContact` |
 * | GET | `/domains/:domainId/accounts/:accountId/contacts?limit&cursor` | `conversations.contacts` |
 * | POST | `/domains/:domainId/accounts/:accountId/messages` | `conversations.receiveMessage`; `Idempotency-Key` → `messageId` |
 * | POST | `/domains/:domainId/accounts/:accountId/replies` | `conversations.sendMessage`; `Idempotency-Key` → `messageId` |
 * | GET | `/domains/:domainId/history?accountId&customerId&from&to&limit&cursor` | `conversations.history` |
 * | DELETE | `/domains/:domainId/customers/:customerId` | `customers.erase` |
 * | GET | `/domains/:domainId/events?after&limit` | `events.read` |
 *
 * Every change may carry `X-Actor` (e.g. `admin:u1`): the operations then run as `cx.as(actor)`
 * and the events they append name the actor.
 *
 * @example
 * ```ts
 * const app = createApp(cx);
 * const response = await app.request('/domains/acme/products');
 * ```
 */
export function createApp(root: CxAccounts): Hono {
  const app = new Hono();
  /** The operations, acting for `X-Actor` when the request names one. */
  const acting = (c: Context): CxAccounts => {
    const actor = c.req.header('x-actor');
    return actor === undefined ? root : root.as(actor);
  };

  /** Answers a result: its value as JSON, or its error as a problem. */
  const respond = <T>(c: Context, result: Result<T, CxError>, status: ContentfulStatusCode = 200, headers: Record<string, string> = {}) =>
    result.isOk() ? c.json(result.value as object, status, headers) : problem(c, result.error);

  /** Answers an account, with its version as ETag. */
  const respondAccount = (c: Context, result: Result<{ id: string; version: number }, CxError>, status: ContentfulStatusCode = 200) =>
    respond(c, result, status, result.isOk() ? { etag: etag(result.value.version) } : {});

  app.put('/domains/:domainId/products/:productId', async (c) => {
    const body = await jsonBody(c);
    if (body.isErr()) return problem(c, body.error);
    const productId = c.req.param('productId');
    if (isObject(body.value) && 'productId' in body.value && body.value.productId !== productId) {
      return problem(c, invalid('productId', `must be the product id of the path, ${JSON.stringify(productId)}`));
    }
    const input = isObject(body.value) ? { ...body.value, productId } : body.value;
    // Bodies go to cx-accounts unchecked (`as never`): it validates every input itself (R27)
    // and answers `validation` with the issues, which become the 400 problem.
    return respond(c, await acting(c).products.set(c.req.param('domainId'), input as never));
  });

  app.get('/domains/:domainId/products', async (c) => respond(c, await acting(c).products.overview(c.req.param('domainId'))));

  app.get('/domains/:domainId/members', async (c) => {
    const limit = numberParameter(c.req.query('limit'));
    const options = limit === undefined ? undefined : ({ limit } as { limit: number });
    return respond(c, await acting(c).members.search(c.req.param('domainId'), c.req.query('q') ?? '', options));
  });

  app.post('/domains/:domainId/accounts', async (c) => {
    const body = await jsonBody(c);
    if (body.isErr()) return problem(c, body.error);
    const input = isObject(body.value) ? decodeImage(body.value) : body.value;
    const domainId = c.req.param('domainId');
    const created = await acting(c).accounts.create(domainId, input as never);
    if (created.isErr()) return problem(c, created.error);
    c.header('location', `/domains/${encodeURIComponent(domainId)}/accounts/${created.value.id}`);
    return respondAccount(c, created, 201);
  });

  app.get('/domains/:domainId/accounts', async (c) => {
    const options: JsonObject = {};
    const limit = numberParameter(c.req.query('limit'));
    const cursor = c.req.query('cursor');
    if (limit !== undefined) options.limit = limit;
    if (cursor !== undefined) options.cursor = cursor;
    const page = await acting(c).accounts.list(c.req.param('domainId'), options as never);
    if (page.isOk() && page.value.nextCursor) {
      const next = new URL(c.req.url);
      next.searchParams.set('cursor', page.value.nextCursor);
      c.header('link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    return respond(c, page);
  });

  app.get('/domains/:domainId/accounts/:accountId', async (c) =>
    respondAccount(c, await acting(c).accounts.get(c.req.param('domainId'), c.req.param('accountId'))),
  );

  app.patch('/domains/:domainId/accounts/:accountId', async (c) => {
    const options = expectedVersion(c);
    if (options.isErr()) return problem(c, options.error);
    const body = await jsonBody(c);
    if (body.isErr()) return problem(c, body.error);
    const input = isObject(body.value) ? decodeImage(body.value) : body.value;
    return respondAccount(
      c,
      await acting(c).accounts.update(c.req.param('domainId'), c.req.param('accountId'), input as never, options.value),
    );
  });

  app.post('/domains/:domainId/accounts/:accountId/agents', async (c) => {
    const options = expectedVersion(c);
    if (options.isErr()) return problem(c, options.error);
    const body = await jsonBody(c);
    if (body.isErr()) return problem(c, body.error);
    if (!isObject(body.value) || Object.keys(body.value).some((key) => key !== 'memberIds')) {
      return problem(c, invalid('', 'the body must be { "memberIds": ["…"] } and nothing else'));
    }
    const memberIds = body.value.memberIds;
    return respondAccount(
      c,
      await acting(c).agents.add(c.req.param('domainId'), c.req.param('accountId'), memberIds as never, options.value),
    );
  });

  app.delete('/domains/:domainId/accounts/:accountId/agents/:memberId', async (c) => {
    const options = expectedVersion(c);
    if (options.isErr()) return problem(c, options.error);
    return respondAccount(
      c,
      await acting(c).agents.remove(c.req.param('domainId'), c.req.param('accountId'), c.req.param('memberId'), options.value),
    );
  });

  app.post('/domains/:domainId/accounts/:accountId/reset', async (c) =>
    respond(c, await acting(c).accounts.reset(c.req.param('domainId'), c.req.param('accountId'))),
  );

  app.get('/domains/:domainId/accounts/:accountId/qr.png', async (c) => {
    const size = numberParameter(c.req.query('size'));
    const png = await acting(c).accounts.qrCode(c.req.param('domainId'), c.req.param('accountId'), {
      format: 'png',
      ...(size === undefined ? {} : { size: size as number }),
    });
    if (png.isErr()) return problem(c, png.error);
    return c.body(new Uint8Array(png.value), 200, { 'content-type': 'image/png', 'cache-control': 'private, max-age=3600' });
  });

  app.get('/domains/:domainId/accounts/:accountId/qr.svg', async (c) => {
    const size = numberParameter(c.req.query('size'));
    const svg = await acting(c).accounts.qrCode(c.req.param('domainId'), c.req.param('accountId'), {
      format: 'svg',
      ...(size === undefined ? {} : { size: size as number }),
    });
    if (svg.isErr()) return problem(c, svg.error);
    return c.body(svg.value, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'private, max-age=3600' });
  });

  /** A JSON body checked to be an object, for routes that add path parameters to it. */
  const objectBody = async (c: Context): Promise<Result<JsonObject, CxError>> => {
    const body = await jsonBody(c);
    if (body.isErr()) return err(body.error);
    return isObject(body.value) ? ok(body.value) : err(invalid('', 'the body must be a JSON object'));
  };
  const idempotencyKey = (c: Context): JsonObject => {
    const key = c.req.header('idempotency-key');
    return key === undefined ? {} : { messageId: key };
  };
  const page = (c: Context, names: readonly string[]): JsonObject => {
    const query: JsonObject = {};
    for (const name of names) {
      const value = c.req.query(name);
      if (value === undefined) continue;
      if (name === 'limit' || name === 'after') query[name] = numberParameter(value);
      else if (name === 'from' || name === 'to') query[name] = Number.isNaN(Date.parse(value)) ? value : new Date(value);
      else query[name] = value;
    }
    return query;
  };

  app.put('/domains/:domainId/accounts/:accountId/agents', async (c) => {
    const options = expectedVersion(c);
    if (options.isErr()) return problem(c, options.error);
    const body = await objectBody(c);
    if (body.isErr()) return problem(c, body.error);
    return respondAccount(c, await acting(c).agents.set(c.req.param('domainId'), c.req.param('accountId'), body.value.memberIds as never, options.value));
  });

  app.put('/domains/:domainId/accounts/:accountId/settings', async (c) => {
    const options = expectedVersion(c);
    if (options.isErr()) return problem(c, options.error);
    const body = await jsonBody(c);
    if (body.isErr()) return problem(c, body.error);
    return respondAccount(c, await acting(c).settings.update(c.req.param('domainId'), c.req.param('accountId'), body.value as never, options.value));
  });

  app.post('/domains/:domainId/members/:memberId/depart', async (c) => {
    const body = await objectBody(c);
    if (body.isErr()) return problem(c, body.error);
    return respond(c, await acting(c).members.depart(c.req.param('domainId'), c.req.param('memberId'), body.value as never));
  });

  app.post('/domains/:domainId/accounts/:accountId/contacts', async (c) => {
    const body = await jsonBody(c);
    if (body.isErr()) return problem(c, body.error);
    const reply = await acting(c).conversations.addContact(c.req.param('domainId'), c.req.param('accountId'), body.value as never);
    return respond(c, reply.map((autoReply) => ({ autoReply })));
  });

  app.get('/domains/:domainId/accounts/:accountId/contacts', async (c) =>
    respond(c, await acting(c).conversations.contacts(c.req.param('domainId'), c.req.param('accountId'), page(c, ['limit', 'cursor']) as never)),
  );

  app.post('/domains/:domainId/accounts/:accountId/messages', async (c) => {
    const body = await objectBody(c);
    if (body.isErr()) return problem(c, body.error);
    const input = { ...body.value, ...idempotencyKey(c) };
    const reply = await acting(c).conversations.receiveMessage(c.req.param('domainId'), c.req.param('accountId'), input as never);
    return respond(c, reply.map((autoReply) => ({ autoReply })));
  });

  app.post('/domains/:domainId/accounts/:accountId/replies', async (c) => {
    const body = await objectBody(c);
    if (body.isErr()) return problem(c, body.error);
    const input = { ...body.value, ...idempotencyKey(c) };
    const sent = await acting(c).conversations.sendMessage(c.req.param('domainId'), c.req.param('accountId'), input as never);
    return sent.isOk() ? c.body(null, 204) : problem(c, sent.error);
  });

  app.get('/domains/:domainId/history', async (c) =>
    respond(c, await acting(c).conversations.history(c.req.param('domainId'), page(c, ['accountId', 'customerId', 'from', 'to', 'limit', 'cursor']) as never)),
  );

  app.delete('/domains/:domainId/customers/:customerId', async (c) =>
    respond(c, await acting(c).customers.erase(c.req.param('domainId'), c.req.param('customerId'))),
  );

  app.get('/domains/:domainId/events', async (c) =>
    respond(c, await acting(c).events.read(c.req.param('domainId'), page(c, ['after', 'limit']) as never)),
  );

  app.notFound((c) =>
    c.body(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No route for ${c.req.method} ${c.req.path}`, instance: c.req.path }), 404, {
      'content-type': 'application/problem+json',
    }),
  );

  // cx-accounts never throws; this catches mistakes in the routes above.
  app.onError((error, c) => {
    console.error(`${c.req.method} ${c.req.path}:`, error);
    return c.body(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, instance: c.req.path }), 500, {
      'content-type': 'application/problem+json',
    });
  });

  return app;
}

/** Members of the demo directory. */
export const DEMO_MEMBERS = ['Kim Minji', 'Sato Haruto', 'Alex Doe', 'Lee Jiwoo', 'Tanaka Yui'].map((name, index) => ({
  domainId: 'acme',
  id: `u${index + 1}`,
  name,
  email: `${name.split(' ')[1]!.toLowerCase()}@acme.test`,
}));

/** Starts the server: memory store, or SQLite when `CX_SQLITE_FILE` is set. */
async function main(): Promise<void> {
  const sqliteFile = process.env.CX_SQLITE_FILE;
  let store: Store & { close?: () => Promise<void> };
  if (sqliteFile) {
    const { openSqlite } = await import('../adapters/sql/index.js');
    store = await openSqlite(sqliteFile);
  } else {
    store = memoryStore();
  }
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory(DEMO_MEMBERS),
    contactUrlBase: process.env.CONTACT_URL_BASE ?? 'https://talk.example.com/add/',
    timeZone: process.env.TIME_ZONE ?? 'UTC',
  });
  const port = Number(process.env.PORT ?? 8787);
  const server = serve({ fetch: createApp(cx).fetch, port, hostname: '127.0.0.1' }, (info) => {
    console.log(`cx-accounts admin API on http://127.0.0.1:${info.port} (store: ${sqliteFile ? `SQLite ${sqliteFile}` : 'memory'})`);
    console.log(`members of domain acme: ${DEMO_MEMBERS.map((member) => member.id).join(', ')}`);
  });
  const stop = () => {
    server.close(() => {
      void (store.close?.() ?? Promise.resolve()).finally(() => process.exit(0));
    });
    // Idle keep-alive connections would hold `close` open for seconds.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const invokedPath = process.argv[1];
if (invokedPath && resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { err } from 'neverthrow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { storeFailure } from '../../src/errors.js';
import type { Store } from '../../src/ports/store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';
import { answer, webhookReceiver } from '../../testing/webhook-receiver.js';
import { ensureBuilt, packageRoot } from '../package/packed-package.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable } from '../sql/scratch-databases.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** The host's own tracer, for the parent span and the fake driver's spans. */
const host = () => trace.getTracer('host-app');

const named = (name: string) => {
  const found = exporter.getFinishedSpans().filter((span) => span.name === name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0]!;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The memory store, with a span started inside every transaction — as a traced database driver does. */
function tracedDriverStore(): Store {
  const inner = memoryStore();
  return {
    ...inner,
    transaction: (domainId, mode, work) => host().startActiveSpan(`driver.${mode}`, async (span) => {
      try {
        return await inner.transaction(domainId, mode, work);
      } finally {
        span.end();
      }
    }),
  };
}

/** The memory store whose backup chunks cannot be stored. */
function chunklessStore(): Store {
  return {
    ...memoryStore(),
    appendBackupChunk: async () => {
      throw new Error('disk full');
    },
  };
}

// Active spans need a context manager; a host's SDK (NodeSDK) registers one, so does this test:
// `@opentelemetry/context-async-hooks`, the one the Node SDK uses, on AsyncLocalStorage.
describe('telemetry: one OpenTelemetry span per operation', () => {
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('names each span cx.<group>.<operation>, with the domain and the outcome, and no personal data', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx, { seatLimit: 1 });
    await seedAccount(cx, { agentIds: ['u1'] });
    await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Secret Customer', channel: 'line' });
    await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'secret words', channel: 'line' });
    await cx.as('admin:u9').agents.add('acme', 'help', ['u2']);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'cx.products.set',
      'cx.accounts.create',
      'cx.conversations.addContact',
      'cx.conversations.receiveMessage',
      'cx.agents.add',
    ]);
    expect(spans.every((span) => span.attributes['cx.domain_id'] === 'acme')).toBe(true);
    expect(spans.map((span) => span.attributes['cx.outcome'])).toEqual(['ok', 'ok', 'ok', 'ok', 'seat_limit_exceeded']);
    // A rule's refusal is an answer, not an error of the service: no status, no error.type.
    expect(spans[4]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans[4]!.attributes['error.type']).toBeUndefined();
    // The memory store has no database: no db.system.name.
    expect(spans.some((span) => 'db.system.name' in span.attributes)).toBe(false);
    const recorded = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })));
    for (const secret of ['Secret Customer', 'secret words', 'c1']) expect(recorded).not.toContain(secret);
  });

  it('the tracer is cx-accounts with the package version', async () => {
    const { cx } = makeFixture(memoryStore());
    await cx.products.overview('acme');
    expect(named('cx.products.overview').instrumentationScope).toMatchObject({ name: 'cx-accounts', version });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('the built package, ESM and CommonJS, names its version to the tracer (written in at build time)', async () => {
    ensureBuilt();
    type Entry = { createCxAccounts: typeof createCxAccounts };
    type Memory = { memoryStore: typeof memoryStore; memoryDirectory: typeof memoryDirectory };
    const esm = (await import(pathToFileURL(join(packageRoot, 'dist/esm/src/index.js')).href)) as Entry;
    const esmMemory = (await import(pathToFileURL(join(packageRoot, 'dist/esm/adapters/memory/index.js')).href)) as Memory;
    const require = createRequire(join(packageRoot, 'package.json'));
    const cjs = require('./dist/index.cjs') as Entry;
    const cjsMemory = require('./dist/memory.cjs') as Memory;
    for (const [entry, memory] of [[esm, esmMemory], [cjs, cjsMemory]] as const) {
      const cx = entry.createCxAccounts({ store: memory.memoryStore(), directory: memory.memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });
      await cx.products.overview('acme');
    }
    const scopes = exporter.getFinishedSpans().map((span) => span.instrumentationScope);
    expect(scopes).toEqual([
      { name: 'cx-accounts', version },
      { name: 'cx-accounts', version },
    ]);
  });

  it('the operation span is a child of the active span, and spans the driver starts meanwhile are its children', async () => {
    const { cx } = makeFixture(tracedDriverStore());
    await host().startActiveSpan('POST /accounts', async (request) => {
      await seedProduct(cx, { seatLimit: 2 });
      await seedAccount(cx, { agentIds: ['u1'] });
      request.end();
    });
    const request = named('POST /accounts');
    const create = named('cx.accounts.create');
    expect(parentOf(create)).toBe(request.spanContext().spanId);
    expect(create.spanContext().traceId).toBe(request.spanContext().traceId);
    const driverSpans = exporter.getFinishedSpans().filter((span) => span.name.startsWith('driver.'));
    const operationIds = new Set(exporter.getFinishedSpans().filter((span) => span.name.startsWith('cx.')).map((span) => span.spanContext().spanId));
    expect(driverSpans.length).toBeGreaterThanOrEqual(2);
    // Each driver span hangs under the operation that made it, none under the request directly.
    for (const span of driverSpans) expect(operationIds.has(parentOf(span)!)).toBe(true);
    expect(driverSpans.some((span) => parentOf(span) === create.spanContext().spanId)).toBe(true);
  });

  it('a span the member directory starts is a child of the operation span', async () => {
    const members = memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]);
    const directory = {
      ...members,
      search: (...args: Parameters<typeof members.search>) => host().startActiveSpan('directory.search', async (span) => {
        try {
          return await members.search(...args);
        } finally {
          span.end();
        }
      }),
    };
    const cx = createCxAccounts({ store: memoryStore(), directory, contactUrlBase: 'https://talk.example.com/add/' });
    const found = await cx.members.search('acme', 'Kim');
    expect(found.isOk()).toBe(true);
    expect(parentOf(named('directory.search'))).toBe(named('cx.members.search').spanContext().spanId);
  });

  it('marks a storage failure and a defect as errors: error.type, status ERROR and the cause as an exception', async () => {
    const failing = makeFixture({ ...memoryStore(), transaction: async () => err(storeFailure(new Error('disk gone'))) }).cx;
    const broken = makeFixture({
      ...memoryStore(),
      transaction: async () => {
        throw new TypeError('a bug');
      },
    }).cx;
    await failing.products.overview('acme');
    await broken.agents.access('acme', 'u1');
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => [span.name, span.attributes['cx.outcome'], span.attributes['error.type'], span.status.code])).toEqual([
      ['cx.products.overview', 'store_failure', 'store_failure', SpanStatusCode.ERROR],
      ['cx.agents.access', 'internal', 'internal', SpanStatusCode.ERROR],
    ]);
    const exceptions = spans.map((span) => span.events.filter((event) => event.name === 'exception').map((event) => event.attributes));
    expect(exceptions).toEqual([
      [expect.objectContaining({ 'exception.type': 'Error', 'exception.message': 'disk gone' })],
      [expect.objectContaining({ 'exception.type': 'TypeError', 'exception.message': 'a bug' })],
    ]);
    expect(spans[0]!.status.message).toContain('disk gone');
  });

  it('bad options answer config_invalid, an error of the span; a bad actor answers validation, a refusal', async () => {
    const misconfigured = createCxAccounts({ store: memoryStore(), directory: memoryDirectory([]), contactUrlBase: 'not a url' });
    const answer = await misconfigured.products.overview('acme');
    expect(answer.isErr() && answer.error.code).toBe('config_invalid');
    await makeFixture(memoryStore()).cx.as('').accounts.get('acme', 'help');
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => [span.name, span.attributes['cx.outcome'], span.attributes['error.type'], span.status.code])).toEqual([
      ['cx.products.overview', 'config_invalid', 'config_invalid', SpanStatusCode.ERROR],
      ['cx.accounts.get', 'validation', undefined, SpanStatusCode.UNSET],
    ]);
    // No cause, so no exception event.
    expect(spans[0]!.events).toEqual([]);
  });

  it('puts db.system.name on the spans of an SQL store', async () => {
    const store = await openSqlite(':memory:');
    try {
      const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });
      await cx.products.overview('acme');
      expect(named('cx.products.overview').attributes['db.system.name']).toBe('sqlite');
    } finally {
      await store.close();
    }
  });

  it('puts db.system.name on the spans of a PostgreSQL store, and tells MariaDB from MySQL', async (test) => {
    const checks: [string, () => Promise<{ store: Awaited<ReturnType<typeof openPostgres>>; drop: () => Promise<void> }>][] = [];
    if ((await postgresAvailable()) === true) {
      checks.push(['postgresql', async () => {
        const database = await createPostgresDatabase();
        return { store: await openPostgres({ connectionString: database.url }), drop: database.drop };
      }]);
    }
    if ((await mysqlAvailable()) === true) {
      checks.push(['mariadb', async () => {
        const database = await createMysqlDatabase();
        return { store: await openMysql({ uri: database.url }), drop: database.drop };
      }]);
    }
    if (checks.length === 0) {
      if (process.env.CI === 'true') throw new Error('no database server to check db.system.name on');
      test.skip();
      return;
    }
    for (const [system, open] of checks) {
      const { store, drop } = await open();
      try {
        const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });
        exporter.reset();
        await cx.products.overview('acme');
        expect(named('cx.products.overview').attributes['db.system.name']).toBe(system);
      } finally {
        await store.close();
        await drop();
      }
    }
  });

  it('gives each backup run a span, a child of runBackup, with the job and its result', async () => {
    const manual = createCxAccounts({ store: memoryStore(), directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
    const started = await manual.history.startBackup('acme');
    if (started.isErr()) throw new Error(started.error.message);
    const ran = await manual.history.runBackup('acme', started.value.id);
    expect(ran.isOk() && ran.value.status).toBe('ready');
    const run = named('cx.backup.run');
    expect(parentOf(run)).toBe(named('cx.history.runBackup').spanContext().spanId);
    expect(run.attributes).toMatchObject({ 'cx.domain_id': 'acme', 'cx.backup.job_id': started.value.id, 'cx.backup.result': 'ready' });
    expect(run.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a failed backup is an error of its span: error.type backup_failed and the reason', async () => {
    const cx = createCxAccounts({ store: chunklessStore(), directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
    const started = await cx.history.startBackup('acme');
    if (started.isErr()) throw new Error(started.error.message);
    const ran = await cx.history.runBackup('acme', started.value.id);
    expect(ran.isOk() && ran.value.status).toBe('failed');
    const run = named('cx.backup.run');
    expect(run.attributes).toMatchObject({ 'cx.backup.result': 'failed', 'error.type': 'backup_failed' });
    expect(run.status).toMatchObject({ code: SpanStatusCode.ERROR, message: expect.stringContaining('disk full') });
  });

  it('a backup run in the background is a root span linked to the call that queued it, not its child', async () => {
    const cx = createCxAccounts({ store: memoryStore(), directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });
    const started = await cx.history.startBackup('acme');
    if (started.isErr()) throw new Error(started.error.message);
    await cx.history.drain();
    const start = named('cx.history.startBackup');
    const runs = exporter.getFinishedSpans().filter((span) => span.name === 'cx.backup.run' && span.attributes['cx.backup.job_id'] === started.value.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.parentSpanContext).toBeUndefined();
    expect(runs[0]!.links.map((link) => link.context.spanId)).toEqual([start.spanContext().spanId]);
  });

  it('R54: gives each webhook delivery attempt a CLIENT span, a child of runPendingDeliveries, with the endpoint, the event, the attempt and its result', async () => {
    const receiver = await webhookReceiver({ '/fail': answer(503) });
    try {
      const cx = createCxAccounts({
        store: memoryStore(),
        directory: memoryDirectory([]),
        contactUrlBase: 'https://talk.example.com/add/',
        webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true },
      });
      const good = await cx.webhooks.add('acme', { url: `${receiver.url('/ok')}?token=hidden` });
      const bad = await cx.webhooks.add('acme', { url: receiver.url('/fail') });
      if (good.isErr() || bad.isErr()) throw new Error('webhooks.add failed');
      await seedProduct(cx);
      exporter.reset();
      const report = await cx.webhooks.runPendingDeliveries();
      expect(report.isOk() && report.value).toMatchObject({ delivered: 2, failed: 1 });
      const run = named('cx.webhooks.runPendingDeliveries');
      const attempts = exporter.getFinishedSpans().filter((span) => span.name === 'cx.webhooks.deliver');
      // The good endpoint receives the bad one's webhook.added and the product.set; the bad one fails its first.
      expect(attempts).toHaveLength(3);
      for (const span of attempts) {
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(parentOf(span)).toBe(run.spanContext().spanId);
        expect(span.attributes).toMatchObject({ 'cx.domain_id': 'acme', 'server.address': '127.0.0.1', 'cx.webhook.attempt': 1 });
        expect(JSON.stringify(span.attributes)).not.toContain('hidden');
      }
      const delivered = attempts.filter((span) => span.attributes['cx.webhook.endpoint_id'] === good.value.id);
      expect(delivered.map((span) => [span.attributes['cx.event.seq'], span.attributes['cx.event.type'], span.attributes['cx.webhook.result'], span.attributes['http.response.status_code']])).toEqual([
        [2, 'webhook.added', 'delivered', 204],
        [3, 'product.set', 'delivered', 204],
      ]);
      for (const span of delivered) expect(span.status.code).toBe(SpanStatusCode.UNSET);
      const [failed] = attempts.filter((span) => span.attributes['cx.webhook.endpoint_id'] === bad.value.id);
      expect(failed!.attributes).toMatchObject({ 'cx.event.seq': 3, 'cx.webhook.result': 'retry', 'http.response.status_code': 503, 'error.type': '503' });
      expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
    } finally {
      await receiver.close();
    }
  });
});

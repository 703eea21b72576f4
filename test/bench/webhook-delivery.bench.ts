/**
 * Issue 21 / R54: one delivery runner (`webhooks.runPendingDeliveries`) POSTing to 16 local
 * endpoints (HTTP servers on 127.0.0.1 answering 204), and its memory with 10,000 and 100,000
 * pending events. `npm run bench -- webhook` (or `npx tsx test/bench/webhook-delivery.bench.ts`).
 *
 * 1. Throughput, on the memory store, a SQLite file and PostgreSQL (when reachable): 16 endpoints of one domain, each
 *    receiving every event; `CX_BENCH_EVENTS` events (default 1,000, so 16,000 POSTs) appended
 *    before one pass delivers them all. The baseline, in the same run, is a hand-written loop
 *    sending the same number of signed POSTs (HMAC-SHA256, keep-alive, 16 at once, one at a time
 *    per endpoint) to the same servers: the ratio says what the runner's store work costs.
 *    Goal: ≥ 500 deliveries/s.
 * 2. Memory, on a SQLite file (the events are on disk, so the process's RSS is the runner's):
 *    16 endpoints with 10,000 and then 100,000 events pending, of which each receives the same
 *    1,000 (`holiday.added`: 1 in 10, then 1 in 100; the runner reads and skips the others), so
 *    the work is the same and only the backlog differs. Each size runs in a fresh child
 *    process, which samples its RSS every 20 ms through the pass that drains the backlog.
 *    Goal: the two peaks about equal (flat).
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ok } from 'neverthrow';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { EventDraft } from '../../src/ports/records.js';
import type { Store } from '../../src/ports/store.js';
import { machineInfo } from '../sql/machine-info.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';

const ENDPOINTS = 16;
const EVENTS = Number(process.env['CX_BENCH_EVENTS'] ?? 1000);
const DOMAIN = 'bench';

type Receivers = { urls: string[]; count: () => number; close: () => Promise<void> };

/** 16 HTTP servers on 127.0.0.1 that read each request and answer 204. */
async function receivers(): Promise<Receivers> {
  let received = 0;
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let index = 0; index < ENDPOINTS; index++) {
    const server = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => {
        received++;
        response.writeHead(204).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  }
  return {
    urls,
    count: () => received,
    close: async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

const drafts = (count: number, typeOf: (index: number) => 'product.set' | 'holiday.added'): EventDraft[] =>
  Array.from({ length: count }, (_, index) =>
    typeOf(index) === 'holiday.added'
      ? { type: 'holiday.added', accountId: null, accountUid: null, at: new Date(), actor: null, data: { holidayId: `h${index}`, start: '2026-12-24', end: '2026-12-26' } }
      : { type: 'product.set', accountId: null, accountUid: null, at: new Date(), actor: null, data: { productId: `p${index % 50}`, seatLimit: 1, quantity: index + 1 } },
  );

/** Appends `count` events to the domain, 1,000 per transaction, through the store port. */
async function appendEvents(store: Store, count: number, typeOf: (index: number) => 'product.set' | 'holiday.added'): Promise<void> {
  for (let done = 0; done < count; done += 1000) {
    const batch = drafts(Math.min(1000, count - done), (index) => typeOf(done + index));
    const written = await store.transaction!(DOMAIN, 'write', async (tx) => ok(await tx.appendEvents(batch)));
    if (written.isErr()) throw new Error(written.error.message);
  }
}

function webhookCx(store: Store): CxAccounts {
  return createCxAccounts({
    store,
    directory: memoryDirectory([]),
    contactUrlBase: 'https://talk.example.com/add/',
    webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true },
  });
}

async function addEndpoints(cx: CxAccounts, urls: string[], types?: string[]): Promise<void> {
  for (const url of urls) {
    const added = await cx.webhooks.add(DOMAIN, types ? { url, types } : { url });
    if (added.isErr()) throw new Error(added.error.message);
  }
}

/** The baseline: `perEndpoint` signed POSTs to each URL by a plain loop, 16 at once. */
async function handWrittenLoop(urls: string[], perEndpoint: number): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const secret = Buffer.from('0123456789abcdef0123456789abcdef');
  const post = (url: string, seq: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ specversion: '1.0', id: `${DOMAIN}:${seq}`, source: `urn:cx-accounts:${DOMAIN}`, type: 'cx.product.set', data: { productId: `p${seq % 50}`, seatLimit: 1, quantity: seq } });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', secret).update(`${DOMAIN}:${seq}.${timestamp}.${body}`).digest('base64');
      const outgoing = request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/cloudevents+json', 'content-length': Buffer.byteLength(body), 'webhook-id': `${DOMAIN}:${seq}`, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` },
      });
      outgoing.on('error', reject);
      outgoing.on('response', (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 204 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
      });
      outgoing.end(body);
    });
  const started = performance.now();
  await Promise.all(
    urls.map(async (url) => {
      for (let seq = 1; seq <= perEndpoint; seq++) await post(url, seq);
    }),
  );
  const elapsed = performance.now() - started;
  agent.destroy();
  return elapsed;
}

async function throughput(name: string, open: () => Promise<{ store: Store; close: () => Promise<void> }>, baselineMs: number, servers: Receivers): Promise<void> {
  const { store, close } = await open();
  try {
    const cx = webhookCx(store);
    await addEndpoints(cx, servers.urls);
    await appendEvents(store, EVENTS, () => 'product.set');
    const before = servers.count();
    const started = performance.now();
    const report = await cx.webhooks.runPendingDeliveries();
    const elapsed = performance.now() - started;
    if (report.isErr()) throw new Error(report.error.message);
    const posts = servers.count() - before;
    // Each endpoint also receives the webhook.added of those added after it: 15 + 14 + … + 0.
    const expected = EVENTS * ENDPOINTS + (ENDPOINTS * (ENDPOINTS - 1)) / 2;
    if (report.value.delivered !== expected || posts !== expected) {
      throw new Error(`${name}: delivered ${report.value.delivered}, received ${posts}, expected ${expected}`);
    }
    const rate = posts / (elapsed / 1000);
    console.log(
      `${name}: ${posts} deliveries (${EVENTS} events × ${ENDPOINTS} endpoints, and the webhook.added of later endpoints) in ${Math.round(elapsed)} ms = ${Math.round(rate)} deliveries/s ` +
        `(${Math.round(EVENTS / (elapsed / 1000))} events/s to all 16); ×${(rate / ((EVENTS * ENDPOINTS) / (baselineMs / 1000))).toFixed(2)} the hand-written loop's rate — goal ≥ 500/s: ${rate >= 500 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await close();
  }
}

/** The child process of part 2: drains the backlog of `file` and prints `{ rssBefore, rssPeak, delivered, ms }`. */
async function drainAndMeasure(file: string, expected: number): Promise<void> {
  const servers = await receivers();
  const store = await openSqlite(file);
  try {
    const cx = webhookCx(store);
    // The endpoints were added with placeholder URLs when the file was filled: point them at this child's servers.
    const listed = await cx.webhooks.list(DOMAIN);
    if (listed.isErr()) throw new Error(listed.error.message);
    const moved = await store.transaction!(DOMAIN, 'write', async (tx) => {
      for (const [index, endpoint] of (await tx.webhooks!().listEndpoints()).entries()) await tx.webhooks!().updateEndpoint({ ...endpoint, url: servers.urls[index]! });
      return ok(undefined);
    });
    if (moved.isErr()) throw new Error(moved.error.message);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let heapPeak = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      rssPeak = Math.max(rssPeak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
    }, 20);
    const started = performance.now();
    const report = await cx.webhooks.runPendingDeliveries();
    const ms = performance.now() - started;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (report.isErr()) throw new Error(report.error.message);
    if (report.value.delivered !== expected) throw new Error(`delivered ${report.value.delivered}, expected ${expected}`);
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(JSON.stringify({ rssBefore, rssPeak, heapPeak, heapAfter, delivered: report.value.delivered, ms }));
  } finally {
    await store.close();
    await servers.close();
  }
}

/** Part 2: fills a SQLite file with `pending` events (1,000 of them of the endpoints' type), then drains it in a child process. */
async function memoryWithPending(folder: string, pending: number): Promise<Drained> {
  const file = join(folder, `pending-${pending}.sqlite`);
  const store = await openSqlite(file);
  const cx = webhookCx(store);
  await addEndpoints(
    cx,
    Array.from({ length: ENDPOINTS }, (_, index) => `http://127.0.0.1:9/${index}`),
    ['holiday.added'],
  );
  // The same work either way: each endpoint receives 1,000 of the events (1 in 10, or 1 in 100).
  const every = pending / 1000;
  await appendEvents(store, pending, (index) => (index % every === every - 1 ? 'holiday.added' : 'product.set'));
  await store.close();
  const expected = 1000 * ENDPOINTS;
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--drain', file, String(expected)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child for ${pending} pending events failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Drained;
}

type Drained = { rssBefore: number; rssPeak: number; heapPeak: number; heapAfter: number; delivered: number; ms: number };

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const drain = process.argv.indexOf('--drain');
  if (drain >= 0) return drainAndMeasure(process.argv[drain + 1]!, Number(process.argv[drain + 2]));

  console.log(machineInfo());
  const folder = mkdtempSync(join(tmpdir(), 'cx-bench-webhooks-'));
  const servers = await receivers();
  try {
    // Warm-up of the servers, the agent and the JIT, then the baseline.
    await handWrittenLoop(servers.urls, 50);
    const baselineMs = await handWrittenLoop(servers.urls, EVENTS);
    console.log(`baseline: hand-written loop, ${EVENTS * ENDPOINTS} signed POSTs (16 at once) in ${Math.round(baselineMs)} ms = ${Math.round((EVENTS * ENDPOINTS) / (baselineMs / 1000))} POSTs/s`);
    await throughput('memory store', async () => ({ store: memoryStore(), close: async () => undefined }), baselineMs, servers);
    await throughput(
      'SQLite file',
      async () => {
        const store = await openSqlite(join(folder, 'throughput.sqlite'));
        return { store, close: () => store.close() };
      },
      baselineMs,
      servers,
    );
    if ((await postgresAvailable()) === true) {
      await throughput(
        'PostgreSQL server',
        async () => {
          const database = await createPostgresDatabase();
          const store = await openPostgres({ connectionString: database.url });
          return {
            store,
            close: async () => {
              await store.close();
              await database.drop();
            },
          };
        },
        baselineMs,
        servers,
      );
    } else {
      console.log('PostgreSQL not reachable: skipped');
    }
  } finally {
    await servers.close();
  }
  try {
    const small = await memoryWithPending(folder, 10_000);
    const large = await memoryWithPending(folder, 100_000);
    for (const [pending, run] of [[10_000, small], [100_000, large]] as const) {
      console.log(
        `SQLite file, ${pending} events pending (16 endpoints, ${run.delivered} deliveries): RSS ${mib(run.rssBefore)} before, peak ${mib(run.rssPeak)} (+${mib(run.rssPeak - run.rssBefore)}); JS heap peak ${mib(run.heapPeak)}, ${mib(run.heapAfter)} after a full GC; ${Math.round(run.ms)} ms`,
      );
    }
    console.log(`RSS peak ratio 100,000 / 10,000 pending: ×${(large.rssPeak / small.rssPeak).toFixed(2)} (growth over the pass: ×${((large.rssPeak - large.rssBefore) / Math.max(1, small.rssPeak - small.rssBefore)).toFixed(2)}) — goal: flat`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();

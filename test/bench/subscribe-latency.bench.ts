/**
 * R52: commit → yield latency of `events.subscribe` under 200 commits per second, on SQLite
 * (same process) and on PostgreSQL (LISTEN/NOTIFY, when the server is reachable). The
 * baseline, measured in the same run, is the write operation itself (call → answer): the
 * latency is printed as p50/p99 and as a ratio of the write's p50.
 *
 * Each store runs twice: alone, and under load: the in-process webhook runner delivering every
 * event of the domain to 16 endpoints on 127.0.0.1 (answering 204) meanwhile, so its lease and
 * attempt transactions compete with the writer and the subscriber. The load average is printed
 * before each run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';

const COMMITS = Number(process.env['CX_BENCH_COMMITS'] ?? 1000);
const RATE = 200;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;
};

/** 16 HTTP servers on 127.0.0.1 answering 204; answers their URLs and how to close them. */
async function endpoints(): Promise<{ urls: string[]; received: () => number; close: () => Promise<void> }> {
  const servers: Server[] = [];
  let received = 0;
  for (let index = 0; index < 16; index++) {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received++;
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    urls: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
    received: () => received,
    close: async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

async function measure(name: string, store: ClosableStore, withRunner: boolean): Promise<void> {
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  const receivers = withRunner ? await endpoints() : null;
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([]),
    contactUrlBase: 'https://talk.example.com/add/',
    ...(withRunner ? { webhooks: { runner: 'in-process' as const, allowHttp: true, allowPrivateNetworks: true } } : {}),
  });
  for (const url of receivers?.urls ?? []) {
    const added = await cx.webhooks.add('bench', { url });
    if (added.isErr()) throw new Error(added.error.message);
  }
  // The events written below are numbered from here (after the endpoints' webhook.added).
  const before = await cx.events.read('bench');
  if (before.isErr()) throw new Error(before.error.message);
  const base = before.value.lastSeq;
  const controller = new AbortController();
  const subscribed = await cx.events.subscribe('bench', { signal: controller.signal });
  if (subscribed.isErr()) throw new Error(subscribed.error.message);
  const committedAt = new Map<number, number>();
  const latencies: number[] = [];
  const writes: number[] = [];
  const reading = (async () => {
    for await (const event of subscribed.value) {
      const now = performance.now();
      const committed = committedAt.get(event.seq);
      // The subscriber may see an event before the writer's answer arrives: that counts as 0.
      latencies.push(committed === undefined ? 0 : Math.max(0, now - committed));
      if (latencies.length >= COMMITS) controller.abort();
    }
  })();
  const start = performance.now();
  for (let index = 0; index < COMMITS; index++) {
    const due = start + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const called = performance.now();
    const written = await cx.products.set('bench', { productId: `p${index % 50}`, name: `P ${index}`, seatLimit: 1, quantity: 1 + index });
    const answered = performance.now();
    if (written.isErr()) throw new Error(written.error.message);
    writes.push(answered - called);
    committedAt.set(base + index + 1, answered);
  }
  await reading;
  const deliveries = receivers?.received() ?? 0;
  await receivers?.close();
  const writeP50 = percentile(writes, 0.5);
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  console.log(
    `${name}${withRunner ? `, with the in-process webhook runner delivering to 16 endpoints (${deliveries} deliveries meanwhile)` : ''} [load average ${load}]: ${COMMITS} commits at ${RATE}/s — commit→yield p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; write p50 ${writeP50.toFixed(2)} ms (p99 latency = ×${(p99 / writeP50).toFixed(2)} of a write)`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'cx-bench-subscribe-'));
try {
  for (const withRunner of [false, true]) {
    const sqlite = await openSqlite(join(folder, `bench-${withRunner}.db`));
    await measure('SQLite file, same process', sqlite, withRunner);
    await sqlite.close();
  }
  if ((await postgresAvailable()) === true) {
    for (const withRunner of [false, true]) {
      const database = await createPostgresDatabase();
      const store = await openPostgres({ connectionString: database.url });
      await measure('PostgreSQL server (LISTEN/NOTIFY and in-process wake)', store, withRunner);
      await store.close();
      await database.drop();
    }
  } else {
    console.log('PostgreSQL not reachable: skipped');
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

/**
 * R52: commit → yield latency of `events.subscribe` under 200 commits per second, on SQLite
 * (same process) and on PostgreSQL (LISTEN/NOTIFY, when the server is reachable). The
 * baseline, measured in the same run, is the write operation itself (call → answer): the
 * latency is printed as p50/p99 and as a ratio of the write's p50.
 */
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

async function measure(name: string, store: ClosableStore): Promise<void> {
  const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });
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
    committedAt.set(index + 1, answered);
  }
  await reading;
  const writeP50 = percentile(writes, 0.5);
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  console.log(
    `${name}: ${COMMITS} commits at ${RATE}/s — commit→yield p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; write p50 ${writeP50.toFixed(2)} ms (p99 latency = ×${(p99 / writeP50).toFixed(2)} of a write)`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'cx-bench-subscribe-'));
try {
  const sqlite = await openSqlite(join(folder, 'bench.db'));
  await measure('SQLite file, same process', sqlite);
  await sqlite.close();
  if ((await postgresAvailable()) === true) {
    const database = await createPostgresDatabase();
    const store = await openPostgres({ connectionString: database.url });
    await measure('PostgreSQL server (LISTEN/NOTIFY and in-process wake)', store);
    await store.close();
    await database.drop();
  } else {
    console.log('PostgreSQL not reachable: skipped');
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

/**
 * Benchmark of issue 9: `cx.events.read` deep in a long log costs what the first page costs
 * (keyset paging by `seq`, no OFFSET scan). `npx tsx test/bench/sql-events.bench.ts [--events 1000000]`.
 *
 * Fills one domain of a SQLite file with `--events` events (1,000 per transaction, through the
 * store's `appendEvents`), then times pages of 100 read from the start and from seq 900,000
 * (90 % into the log), alternating, and compares the medians.
 *
 * Goal: page at seq 900,000 ≤ 1.5× the first page.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok } from 'neverthrow';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import type { EventDraft } from '../../src/ports/records.js';
import { machineInfo } from '../sql/machine-info.js';
import { benchOption } from './bench-support.js';

const EVENTS = benchOption('events', 1_000_000);
const BATCH = 1000;
const READS = 400;

async function main() {
  console.log(machineInfo());
  const file = join(tmpdir(), `cx-bench-events-${process.pid}.sqlite`);
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  };
  remove();
  const store = await openSqlite(file);
  const started = performance.now();
  for (let done = 0; done < EVENTS; done += BATCH) {
    const drafts: EventDraft[] = Array.from({ length: Math.min(BATCH, EVENTS - done) }, (_, index) => ({
      type: 'message.received',
      accountId: 'help',
      accountUid: 'uid-help',
      at: new Date(Date.UTC(2026, 0, 1) + done + index),
      actor: null,
      data: { messageId: `m${done + index}`, customerId: `c${(done + index) % 5000}`, channel: 'line' },
    }));
    const appended = await store.transaction('acme', 'write', async (tx) => ok(await tx.appendEvents(drafts)));
    if (appended.isErr()) throw new Error(appended.error.message);
  }
  console.log(`filled ${EVENTS.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/' });
  const deep = Math.floor(EVENTS * 0.9);
  const time = async (after: number) => {
    const start = performance.now();
    const page = await cx.events.read('acme', { after, limit: 100 });
    const elapsed = performance.now() - start;
    if (page.isErr() || page.value.events.length !== 100 || page.value.events[0]!.seq !== after + 1) throw new Error('unexpected page');
    return elapsed;
  };
  for (let warm = 0; warm < 50; warm++) {
    await time(0);
    await time(deep);
  }
  const first: number[] = [];
  const late: number[] = [];
  for (let index = 0; index < READS; index++) {
    first.push(await time(0));
    late.push(await time(deep));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ratio = median(late) / median(first);
  console.log(`events.read page of 100 after seq 0:       median ${(median(first) * 1000).toFixed(0)} µs`);
  console.log(`events.read page of 100 after seq ${deep.toLocaleString('en')}: median ${(median(late) * 1000).toFixed(0)} µs`);
  console.log(`ratio late/first: ${ratio.toFixed(2)}× (goal ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
  await store.close();
  remove();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * R28 R30 under load, on the PostgreSQL and MariaDB servers with a pool of 16 connections:
 * many write transactions of one domain append events at once (some of them refused, so
 * rolled back), while readers keep reading the log. Every committed transaction gets its own
 * `seq`, the log is exactly 1..N, and no reader ever sees a gap (a reader that has seen up to
 * N never later finds a new event numbered N or lower).
 */
import { err, ok } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { ruleError } from '../../src/errors.js';
import { checkAvailable, createMysqlDatabase, createPostgresDatabase, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';
import { STRESS_LOCK_TIMEOUT_MS } from './scratch-databases.js';

const POOL_SIZE = 16;
const WRITERS = 48;
const TRANSACTIONS_PER_WRITER = 8;
const READERS = 2;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

const servers: { name: string; open: () => Promise<ClosableStore> }[] = [];
if (await checkAvailable(postgresFactory)) {
  servers.push({
    name: 'PostgreSQL',
    open: async () => {
      const database = await createPostgresDatabase();
      cleanups.push(database.drop);
      return openPostgres({ connectionString: database.url, poolSize: POOL_SIZE }, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS });
    },
  });
}
if (await checkAvailable(mysqlFactory)) {
  servers.push({
    name: 'MariaDB',
    open: async () => {
      const database = await createMysqlDatabase();
      cleanups.push(database.drop);
      return openMysql({ uri: database.url, poolSize: POOL_SIZE }, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS });
    },
  });
}

const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 2));

describe.each(servers)('event log under concurrent writers: $name', (server) => {
  it(`R28 R30: ${WRITERS} writers × ${TRANSACTIONS_PER_WRITER} transactions on one domain: seq is 1..N in commit order, readers never see a gap`, async () => {
    const store = await server.open();
    cleanups.push(() => store.close());
    let writing = true;
    const committed: number[][] = [];
    let refused = 0;

    const writer = async (writerIndex: number) => {
      for (let round = 0; round < TRANSACTIONS_PER_WRITER; round++) {
        const count = 1 + ((writerIndex + round) % 3);
        const refuse = (writerIndex * 7 + round) % 5 === 0;
        const result = await store.transaction('acme', 'write', async (tx) => {
          await pause();
          const seqs = await tx.appendEvents(
            Array.from({ length: count }, (_, index) => ({
              type: 'test.event',
              accountId: null,
              accountUid: null,
              at: new Date(),
              actor: `writer:${writerIndex}`,
              data: { writerIndex, round, index },
            })),
          );
          await pause();
          await tx.setProduct({ productId: `p${writerIndex}`, name: `round ${round}`, seatLimit: 1, quantity: round });
          if (refuse) return err(ruleError('version_conflict', 'refused on purpose'));
          return ok(seqs);
        });
        if (result.isOk()) committed.push(result.value);
        else if (result.error.code === 'version_conflict') refused += 1;
        else throw new Error(`writer ${writerIndex}: ${result.error.code} ${result.error.message}`);
      }
    };

    const readerViolations: string[] = [];
    let reads = 0;
    const reader = async () => {
      let seen = 0;
      while (writing) {
        const result = await store.transaction('acme', 'read', async (tx) => ok({ last: await tx.lastEventSeq(), events: await tx.readEvents(seen, 1000) }));
        const { last, events } = result._unsafeUnwrap();
        reads += 1;
        for (const [index, stored] of events.entries()) {
          if (stored.seq !== seen + index + 1) readerViolations.push(`after ${seen} read seq ${stored.seq} at position ${index}`);
        }
        if (events.length > 0 && events.at(-1)!.seq > last) readerViolations.push(`read seq ${events.at(-1)!.seq} beyond lastSeq ${last}`);
        if (last < seen) readerViolations.push(`lastSeq went back from ${seen} to ${last}`);
        seen = events.at(-1)?.seq ?? seen;
      }
    };

    const readers = Array.from({ length: READERS }, () => reader());
    await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
    writing = false;
    await Promise.all(readers);

    const total = committed.reduce((sum, seqs) => sum + seqs.length, 0);
    expect(refused).toBeGreaterThan(0);
    expect(committed.length + refused).toBe(WRITERS * TRANSACTIONS_PER_WRITER);
    // Each transaction's numbers are consecutive; together they are exactly 1..total.
    for (const seqs of committed) expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));
    expect(committed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    const log = await store.transaction('acme', 'read', async (tx) => ok({ last: await tx.lastEventSeq(), events: await tx.readEvents(0, 1000) }));
    expect(log._unsafeUnwrap().last).toBe(total);
    expect(log._unsafeUnwrap().events.map((stored) => stored.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(readerViolations).toEqual([]);
    expect(reads).toBeGreaterThan(0);
  }, 120_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { openMysql, openPostgres, openSqlite } from '../../adapters/sql/index.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { seedProduct } from '../../testing/conformance/seed.js';
import { drain, takeEvents } from '../../testing/conformance/subscriptions.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable, withPgClient } from './scratch-databases.js';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
}, 60_000);

async function serverOrSkip(available: () => Promise<true | string>, name: string): Promise<boolean> {
  const answer = await available();
  if (answer === true) return true;
  if (process.env.CI === 'true') throw new Error(`${name} must be reachable under CI: ${answer}`);
  console.warn(`[cx-accounts] skipping ${name} subscription tests: ${answer}`);
  return false;
}

/** Two stores on one database, as two processes would have: commits of one reach the other only through the database. */
function crossStoreCases(name: string, open: () => Promise<[ClosableStore, ClosableStore]>) {
  it(`R52 (${name}): a subscriber of one store gets the commits made through another store of the same database`, async () => {
    const [reader, writer] = await open();
    try {
      const readerCx = makeFixture(reader).cx;
      const writerCx = makeFixture(writer).cx;
      const start = expectOk(await readerCx.events.read('acme')).lastSeq;
      const subscribed = expectOk(await readerCx.events.subscribe('acme', { after: start }));
      const taking = takeEvents(subscribed, 5);
      for (const productId of ['p1', 'p2', 'p3', 'p4', 'p5']) await seedProduct(writerCx, { productId });
      const events = await taking;
      expect(events.map((event) => [event.seq, event.data])).toEqual(
        ['p1', 'p2', 'p3', 'p4', 'p5'].map((productId, index) => [start + index + 1, { productId, seatLimit: 3, quantity: 5 }]),
      );
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it(`R52 (${name}): closing the store ends its subscriptions without error`, async () => {
    const [reader, writer] = await open();
    await writer.close();
    const subscribed = expectOk(await makeFixture(reader).cx.events.subscribe('acme'));
    const draining = drain(subscribed);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await reader.close();
    await expect(draining).resolves.toEqual([]);
  });
}

describe('subscriptions across stores of one database (R52)', async () => {
  if (await serverOrSkip(() => postgresAvailable(), 'PostgreSQL')) {
    const database = await createPostgresDatabase();
    drops.push(database.drop);
    const open = async (): Promise<[ClosableStore, ClosableStore]> => [
      await openPostgres({ connectionString: database.url }),
      await openPostgres({ connectionString: database.url }),
    ];
    crossStoreCases('PostgreSQL, LISTEN/NOTIFY', open);

    it('R52 (PostgreSQL): after the LISTEN connection is killed, the subscriber reconnects and misses nothing committed meanwhile', async () => {
      const [reader, writer] = await open();
      try {
        const writerCx = makeFixture(writer).cx;
        const start = expectOk(await writerCx.events.read('acme')).lastSeq;
        const subscribed = expectOk(await makeFixture(reader).cx.events.subscribe('acme'));
        const taking = takeEvents(subscribed, 3);
        await seedProduct(writerCx, { productId: 'before-kill' });
        // Kill every listening backend of this database (only the reader's store listens).
        await withPgClient(database.url, async (client) => {
          await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`);
        });
        await seedProduct(writerCx, { productId: 'while-down' });
        await seedProduct(writerCx, { productId: 'after' });
        const events = await taking;
        expect(events.map((event) => event.seq)).toEqual([start + 1, start + 2, start + 3]);
        expect(events.map((event) => (event.data as { productId: string }).productId)).toEqual(['before-kill', 'while-down', 'after']);
      } finally {
        await writer.close();
        await reader.close();
      }
    });
  }

  if (await serverOrSkip(() => mysqlAvailable(), 'MariaDB')) {
    const database = await createMysqlDatabase();
    drops.push(database.drop);
    crossStoreCases('MariaDB, shared poll', async () => [await openMysql({ uri: database.url }), await openMysql({ uri: database.url })]);
  }

  it('R52 (SQLite): closing the store ends its subscriptions without error', async () => {
    const store = await openSqlite(':memory:');
    const subscribed = expectOk(await makeFixture(store).cx.events.subscribe('acme'));
    const draining = drain(subscribed);
    await store.close();
    await expect(draining).resolves.toEqual([]);
  });
});

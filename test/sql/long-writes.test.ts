/**
 * R49: `lockTimeoutMs` bounds the wait for locks, never the work a write does holding them. A
 * slow erasure (a trigger that sleeps while the customer's messages are deleted, standing for
 * hundreds of thousands of them) succeeds with a `lockTimeoutMs` far below its length; a write
 * behind a held domain lock fails with the lock's message; a statement cancelled by the
 * session's own time limit says it was not a lock wait.
 */
import { ok } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { expectErr, expectOk } from '../../testing/conformance/expectations.js';
import { checkAvailable, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';
import { createMysqlDatabase, createPostgresDatabase, withMysqlConnection, withPgClient } from './scratch-databases.js';

/** Far below the time the slow statement takes: any bound on the whole write would cut it. */
const LOCK_TIMEOUT_MS = 100;
/** What the trigger sleeps, in seconds: several times `LOCK_TIMEOUT_MS`. */
const SLEEP_SECONDS = 0.6;

type Target = {
  name: string;
  available: () => Promise<boolean>;
  create: () => Promise<{ url: string; drop: () => Promise<void> }>;
  open: (url: string) => Promise<ClosableStore>;
  /** Makes deleting history slow: a trigger that sleeps. */
  slowDeletes: (url: string) => Promise<void>;
  /** Holds the domain's lock on a connection of its own until `release` is called. */
  holdDomainLock: (url: string, domainId: string) => Promise<{ release: () => Promise<void> }>;
  /** Sets a session time limit on every connection of a store (as a host's server config might). */
  openWithStatementLimit?: (url: string) => Promise<ClosableStore>;
};

const targets: Target[] = [
  {
    name: 'PostgreSQL',
    available: () => checkAvailable(postgresFactory),
    create: () => createPostgresDatabase(),
    open: (url) => openPostgres({ connectionString: url }, { lockTimeoutMs: LOCK_TIMEOUT_MS }),
    slowDeletes: (url) =>
      withPgClient(url, async (client) => {
        await client.query(`create function cx_test_slow() returns trigger language plpgsql as $$ begin perform pg_sleep(${SLEEP_SECONDS}); return null; end $$`);
        await client.query('create trigger cx_test_slow after delete on cx_history for each statement execute function cx_test_slow()');
      }),
    holdDomainLock: async (url, domainId) => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('begin');
      await client.query('update cx_domains set lock_version = lock_version + 1 where domain_id = $1', [domainId]);
      return {
        release: async () => {
          await client.query('rollback');
          await client.end();
        },
      };
    },
    openWithStatementLimit: (url) => {
      const limited = new URL(url);
      limited.searchParams.set('options', `-c statement_timeout=${LOCK_TIMEOUT_MS}`);
      return openPostgres({ connectionString: limited.toString() }, { lockTimeoutMs: 5000 });
    },
  },
  {
    name: 'MariaDB',
    available: () => checkAvailable(mysqlFactory),
    create: () => createMysqlDatabase(),
    open: (url) => openMysql({ uri: url }, { lockTimeoutMs: LOCK_TIMEOUT_MS }),
    slowDeletes: (url) =>
      withMysqlConnection(url, async (connection) => {
        await connection.query(`create trigger cx_test_slow before delete on cx_history for each row set @cx_slept = sleep(${SLEEP_SECONDS})`);
      }),
    holdDomainLock: async (url, domainId) => {
      const mysql = await import('mysql2/promise');
      const connection = await mysql.createConnection({ uri: url });
      await connection.query('start transaction');
      await connection.query('update cx_domains set lock_version = lock_version + 1 where domain_id = ?', [domainId]);
      return {
        release: async () => {
          await connection.query('rollback');
          await connection.end();
        },
      };
    },
  },
];

/** `acme` with an account `help` and a customer `c1` who wrote `count` messages. */
async function seed(store: ClosableStore, count: number) {
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
  });
  expectOk(await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 3 }));
  expectOk(await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }));
  expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
  for (let index = 0; index < count; index++) {
    expectOk(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: `message ${index}`, channel: 'line' }));
  }
  return cx;
}

for (const target of targets) {
  const available = await target.available();
  describe.skipIf(!available)(`${target.name}: lockTimeoutMs bounds lock waits only`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    const fresh = async () => {
      const database = await target.create();
      cleanups.push(database.drop);
      const store = await target.open(database.url);
      cleanups.push(() => store.close());
      return { url: database.url, store };
    };

    it('R42 R49: an erasure that runs far longer than lockTimeoutMs, with no lock contended, succeeds', async () => {
      const { url, store } = await fresh();
      const cx = await seed(store, 2);
      await target.slowDeletes(url);
      const erased = expectOk(await cx.customers.erase('acme', 'c1'));
      expect(erased).toEqual({ contacts: 1, messages: 2, rooms: 0 });
      expect(expectOk(await cx.conversations.history('acme', { customerId: 'c1' })).items).toEqual([]);
    });

    it('R49: a write behind another transaction holding the domain lock fails with the lock message, rolled back; then works', async () => {
      const { url, store } = await fresh();
      const cx = await seed(store, 1);
      const holder = await target.holdDomainLock(url, 'acme');
      let released = false;
      cleanups.push(async () => {
        if (!released) await holder.release();
      });
      const refused = expectErr(await cx.customers.erase('acme', 'c1'), 'store_failure');
      expect(refused.outcome).toBe('rolled_back');
      expect(refused.message).toContain("could not take the domain's lock within lockTimeoutMs");
      await holder.release();
      released = true;
      expect(expectOk(await cx.customers.erase('acme', 'c1')).messages).toBe(1);
    });

    it.skipIf(!target.openWithStatementLimit)('R49: a statement cut by the session’s own time limit is not reported as a lock wait', async () => {
      const { url } = await fresh();
      const store = await target.openWithStatementLimit!(url);
      cleanups.push(() => store.close());
      const cx = await seed(store, 1);
      await target.slowDeletes(url);
      const cut = expectErr(await cx.customers.erase('acme', 'c1'), 'store_failure');
      expect(cut.message).toContain('not a lock wait');
      expect(cut.message).not.toContain("could not take the domain's lock");
      // Nothing was erased.
      const left = await store.transaction('acme', 'read', async (tx) => ok(await tx.countHistory({ customerId: 'c1' })));
      expect(expectOk(left)).toBe(1);
    });
  });
}

/**
 * Fault injection on the PostgreSQL server: a connection terminated by the server
 * (`pg_terminate_backend` from a second connection) in the middle of a transaction gives
 * `store_failure`, leaves no partial write, releases the domain lock, and the store goes on.
 */
import { ok } from 'neverthrow';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { checkAvailable, createPostgresDatabase, postgresFactory } from '../stores/sql-stores.js';
import { accountRecord, outcome, read, write } from './store-records.js';

const available = await checkAvailable(postgresFactory);

describe.skipIf(!available)('PostgreSQL: a connection terminated mid-transaction', () => {
  let database: { url: string; drop: () => Promise<void> };
  let store: ClosableStore;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    store = await openPostgres({ connectionString: database.url, poolSize: 4 });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await store?.close();
    await admin?.end();
    await database?.drop();
  });

  /** Backends of this database, other than the admin connection, in a given state. */
  const backends = async (where: string) => {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and ${where}`,
    );
    return rows.map((row) => row.pid);
  };
  const until = async <T>(probe: () => Promise<T | null>): Promise<T> => {
    for (let tries = 0; tries < 200; tries++) {
      const found = await probe();
      if (found !== null) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('condition not reached');
  };

  it('R27 R28: terminated while holding the domain lock: store_failure, nothing written, lock released', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));

    const victim = store.transaction('acme', 'write', async (tx) => {
      await tx.setProduct({ productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 2 });
      await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'half' }), null);
      reachedPause();
      await paused;
      // The connection is gone by now: this statement fails.
      await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'other' }), null);
      return ok('committed');
    });
    await atPause;
    const [pid] = await until(async () => {
      const found = await backends(`state = 'idle in transaction'`);
      return found.length === 1 ? found : null;
    });
    const terminated = await admin.query<{ done: boolean }>('select pg_terminate_backend($1) as done', [pid]);
    expect(terminated.rows[0]!.done).toBe(true);
    resume();

    const result = await victim;
    expect(result.isErr() && result.error).toMatchObject({ code: 'store_failure', cause: expect.anything() });
    // No partial write, and the lock is free: another write on the domain runs at once.
    expect(await read(store, 'acme', (tx) => tx.findAccount('half'))).toBeNull();
    expect(await read(store, 'acme', (tx) => tx.listProducts())).toEqual([]);
    await write(store, 'acme', (tx) => tx.setProduct({ productId: 'after', name: 'After', seatLimit: 1, quantity: 1 }));
    expect((await admin.query('select count(*)::int as n from cx_accounts')).rows[0].n).toBe(0);
  });

  it('R27: terminated while waiting for the domain lock: that call fails, the holder commits', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));

    const holder = store.transaction('globex', 'write', async (tx) => {
      await tx.insertAccount(accountRecord({ domainId: 'globex', id: 'holder' }), null);
      reachedPause();
      await paused;
      return ok('done');
    });
    await atPause;
    const waiter = store.transaction('globex', 'write', async (tx) => {
      await tx.insertAccount(accountRecord({ domainId: 'globex', id: 'waiter' }), null);
      return ok('done');
    });
    const [pid] = await until(async () => {
      const found = await backends(`wait_event_type = 'Lock'`);
      return found.length === 1 ? found : null;
    });
    await admin.query('select pg_terminate_backend($1)', [pid]);
    expect(outcome(await waiter)).toBe('store_failure');
    resume();
    expect(outcome(await holder)).toBe('ok');
    expect(await read(store, 'globex', (tx) => tx.findAccount('holder'))).toMatchObject({ id: 'holder' });
    expect(await read(store, 'globex', (tx) => tx.findAccount('waiter'))).toBeNull();
  });

  it('R28: a domain lock row deleted by hand is made again, and writes still wait for each other', async () => {
    await write(store, 'lockless', (tx) => tx.setProduct({ productId: 'p', name: 'P', seatLimit: 1, quantity: 1 }));
    await admin.query(`delete from cx_domains where domain_id = 'lockless'`);
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    let reachedPause!: () => void;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
    const order: string[] = [];
    const first = store.transaction('lockless', 'write', async () => {
      reachedPause();
      await paused;
      order.push('first');
      return ok(undefined);
    });
    await atPause;
    const second = store.transaction('lockless', 'write', async () => {
      order.push('second');
      return ok(undefined);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    resume();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect((await admin.query(`select count(*)::int as n from cx_domains where domain_id = 'lockless'`)).rows[0].n).toBe(1);
  });

  it('every connection of the pool terminated: the next calls still answer, on fresh connections', async () => {
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    // Idle connections that died are dropped by the pool; a call may still meet one that is
    // dying and answer store_failure, but never throws, and the store recovers.
    const outcomes: string[] = [];
    for (let index = 0; index < 6; index++) {
      outcomes.push(outcome(await store.transaction('acme', 'read', async (tx) => ok(await tx.listProducts()))));
    }
    expect(outcomes.every((code) => code === 'ok' || code === 'store_failure')).toBe(true);
    expect(outcomes.at(-1)).toBe('ok');
  });
});

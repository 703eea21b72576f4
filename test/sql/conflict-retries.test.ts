/**
 * R28 on a multi-primary cluster, without the cluster: how the SQL store's transaction runner
 * treats Galera's answers. A Kysely dialect around SQLite refuses `COMMIT` the way Galera's
 * certification does (MySQL error 1213), so the retry path is checked on every run of the
 * suite; `test/galera/` checks the same against a real 3-node cluster.
 */
import Database from 'better-sqlite3';
import {
  Kysely,
  SqliteDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { ok } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import { migrateCxSchema } from '../../adapters/sql/migrations/cx-migrations.js';
import { isConflictAbort, isRetryableFailure, isWsrepNotReady } from '../../adapters/sql/store/driver-errors.js';
import { createSqlStore } from '../../adapters/sql/store/sql-store.js';
import { MAX_CONFLICT_ATTEMPTS, MAX_TRANSACTION_ATTEMPTS } from '../../adapters/sql/store/transaction-runner.js';
import type { Store } from '../../src/ports/store.js';

/** What MariaDB Galera answers to a COMMIT that failed certification. */
const certificationFailure = () =>
  Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
    code: 'ER_LOCK_DEADLOCK',
    errno: 1213,
    sqlState: '40001',
  });

/** What a Galera node outside the primary component answers. */
const wsrepNotReady = () =>
  Object.assign(new Error('WSREP has not yet prepared node for application use'), { code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 });

/** SQLite whose next `refusals` COMMITs roll back and throw `refusal()` instead. */
function commitRefusingDialect(database: Database.Database, control: { refusals: number; refused: number }): Dialect {
  const inner = new SqliteDialect({ database });
  const wrap = (connection: DatabaseConnection): DatabaseConnection => ({
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      if (query.sql === 'commit' && control.refusals > 0) {
        control.refusals -= 1;
        control.refused += 1;
        await connection.executeQuery({ ...query, sql: 'rollback' });
        throw certificationFailure();
      }
      return connection.executeQuery<R>(query);
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  });
  const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver(): Driver {
      const driver = inner.createDriver();
      const unwrap = (connection: DatabaseConnection) => innerOf.get(connection) ?? connection;
      return {
        init: () => driver.init(),
        async acquireConnection() {
          const connection = await driver.acquireConnection();
          let outer = wrapped.get(connection);
          if (!outer) {
            outer = wrap(connection);
            wrapped.set(connection, outer);
            innerOf.set(outer, connection);
          }
          return outer;
        },
        beginTransaction: (connection, settings: TransactionSettings) => driver.beginTransaction(unwrap(connection), settings),
        commitTransaction: (connection) => driver.commitTransaction(unwrap(connection)),
        rollbackTransaction: (connection) => driver.rollbackTransaction(unwrap(connection)),
        releaseConnection: (connection) => driver.releaseConnection(unwrap(connection)),
        destroy: () => driver.destroy(),
      };
    },
  };
}

describe('R28: conflicts refused at commit (Galera certification) are retried', () => {
  let db: Kysely<CxDatabase> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  const open = async (): Promise<{ store: Store; control: { refusals: number; refused: number } }> => {
    const control = { refusals: 0, refused: 0 };
    db = new Kysely<CxDatabase>({ dialect: commitRefusingDialect(new Database(':memory:'), control) });
    (await migrateCxSchema(db))._unsafeUnwrap();
    return { store: createSqlStore(db, { dialect: 'sqlite' }), control };
  };
  const products = (store: Store) =>
    store.transaction('acme', 'read', async (tx) => ok((await tx.listProducts()).map((product) => product.productId)));

  it('R28: a COMMIT refused with 1213 runs the whole transaction again, and its write lands once', async () => {
    const { store, control } = await open();
    control.refusals = 3;
    let runs = 0;
    const result = await store.transaction('acme', 'write', async (tx) => {
      runs += 1;
      await tx.setProduct({ productId: `p${runs}`, name: 'Plan', seatLimit: 1, quantity: 1 });
      return ok(runs);
    });
    expect(result._unsafeUnwrap()).toBe(4);
    expect(control.refused).toBe(3);
    expect((await products(store))._unsafeUnwrap()).toEqual(['p4']);
  });

  it(`R28: under lasting conflicts it gives up after MAX_CONFLICT_ATTEMPTS (${MAX_CONFLICT_ATTEMPTS}) with store_failure and writes nothing`, async () => {
    const { store, control } = await open();
    control.refusals = Number.POSITIVE_INFINITY;
    let runs = 0;
    const result = await store.transaction('acme', 'write', async (tx) => {
      runs += 1;
      await tx.setProduct({ productId: 'p', name: 'Plan', seatLimit: 1, quantity: 1 });
      return ok(runs);
    });
    expect(runs).toBe(MAX_CONFLICT_ATTEMPTS);
    expect(MAX_CONFLICT_ATTEMPTS).toBeGreaterThan(MAX_TRANSACTION_ATTEMPTS);
    expect(result.isErr() && result.error).toMatchObject({
      code: 'store_failure',
      message: expect.stringContaining(`gave up after ${MAX_CONFLICT_ATTEMPTS} attempts`),
    });
    control.refusals = 0;
    expect((await products(store))._unsafeUnwrap()).toEqual([]);
  }, 30_000);

  it('R28: a Galera node that is not ready (1047 WSREP) is retried like a conflict; error 1047 for anything else is not', async () => {
    const { store } = await open();
    let runs = 0;
    const recovered = await store.transaction('acme', 'write', async () => {
      runs += 1;
      if (runs < 3) throw wsrepNotReady();
      return ok(runs);
    });
    expect(recovered._unsafeUnwrap()).toBe(3);

    runs = 0;
    const unknownCommand = await store.transaction('acme', 'write', async () => {
      runs += 1;
      throw Object.assign(new Error('Unknown command'), { code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 });
    });
    expect(runs).toBe(1);
    expect(unknownCommand.isErr() && unknownCommand.error.code).toBe('store_failure');
  });

  it('R28: driver errors are read by code, errno and message, whatever shape they come in', () => {
    expect(isConflictAbort(certificationFailure())).toBe(true);
    expect(isRetryableFailure(certificationFailure())).toBe(true);
    expect(isWsrepNotReady(wsrepNotReady())).toBe(true);
    expect(isRetryableFailure(wsrepNotReady())).toBe(true);
    for (const other of [null, undefined, 'text', 42, new Error('boom'), { errno: 1062, code: 'ER_DUP_ENTRY' }, { code: '40001' }]) {
      expect(isConflictAbort(other)).toBe(false);
      expect(isWsrepNotReady(other)).toBe(false);
    }
  });
});

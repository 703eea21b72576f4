/**
 * R27: a storage failure is `store_failure` with `outcome: 'rolled_back'`, except when the
 * connection is lost while `COMMIT` runs: then nobody can know whether the change was kept,
 * and the error says `outcome: 'unknown'`. Here the commit is applied and the session killed
 * right after (the server's answer lost), on PostgreSQL and MariaDB.
 */
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import { ok } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateCxSchema } from '../../adapters/sql/migrations/cx-migrations.js';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import { createSqlStore } from '../../adapters/sql/store/sql-store.js';
import type { SqlDialectName } from '../../adapters/sql/sql-dialect.js';
import type { Store } from '../../src/ports/store.js';
import { checkAvailable, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';
import { createMysqlDatabase, createPostgresDatabase, withMysqlConnection, withPgClient } from './scratch-databases.js';
import { lostConnectionDialect, type SessionKiller } from './support/lost-connection-dialect.js';

type Target = {
  name: string;
  dialect: SqlDialectName;
  available: () => Promise<boolean>;
  open: () => Promise<{ killer: SessionKiller; inner: (url: string) => import('kysely').Dialect; url: string; drop: () => Promise<void> }>;
};

const targets: Target[] = [
  {
    name: 'PostgreSQL',
    dialect: 'postgres',
    available: () => checkAvailable(postgresFactory),
    open: async () => {
      const { default: pg } = await import('pg');
      const database = await createPostgresDatabase();
      const inner = (url: string) => {
        const pool = new pg.Pool({ connectionString: url, max: 2 });
        pool.on('error', () => undefined);
        pool.on('connect', (client) => client.on('error', () => undefined));
        return new PostgresDialect({ pool });
      };
      const killer: SessionKiller = {
        idQuery: 'select pg_backend_pid() as id',
        kill: (pid) => withPgClient(database.url, (client) => client.query('select pg_terminate_backend($1)', [pid])).then(() => undefined),
      };
      return { killer, inner, url: database.url, drop: database.drop };
    },
  },
  {
    name: 'MariaDB',
    dialect: 'mysql',
    available: () => checkAvailable(mysqlFactory),
    open: async () => {
      const { createPool } = await import('mysql2');
      const database = await createMysqlDatabase();
      const inner = (url: string) => {
        const pool = createPool({ uri: url, connectionLimit: 2, charset: 'utf8mb4_bin' });
        pool.on('connection', (connection) => connection.on('error', () => undefined));
        return new MysqlDialect({ pool });
      };
      const killer: SessionKiller = {
        idQuery: 'select connection_id() as id',
        kill: (id) => withMysqlConnection(database.url, (connection) => connection.query(`kill ${Number(id)}`)).then(() => undefined),
      };
      return { killer, inner, url: database.url, drop: database.drop };
    },
  },
];

const putProduct = (store: Store, productId: string) =>
  store.transaction('acme', 'write', async (tx) => {
    await tx.setProduct({ productId, name: productId, seatLimit: 1, quantity: 1 });
    return ok('written');
  });

const productIds = async (store: Store) => {
  const read = await store.transaction('acme', 'read', async (tx) => ok((await tx.listProducts()).map((product) => product.productId)));
  return read._unsafeUnwrap();
};

for (const target of targets) {
  const available = await target.available();
  describe.skipIf(!available)(`${target.name}: the outcome of a failed write`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    it('R27: a connection lost while COMMIT runs answers store_failure with outcome unknown (and the change was in fact kept)', async () => {
      const opened = await target.open();
      cleanups.push(opened.drop);
      const faulty = lostConnectionDialect(opened.inner(opened.url), opened.killer);
      const db = new Kysely<CxDatabase>({ dialect: faulty.dialect });
      cleanups.push(() => db.destroy());
      expect((await migrateCxSchema(db)).isOk()).toBe(true);
      const store = createSqlStore(db, { dialect: target.dialect });

      expect((await putProduct(store, 'before')).isOk()).toBe(true);
      faulty.armNextCommit();
      const lost = await putProduct(store, 'lost-answer');
      expect(faulty.kills()).toBe(1);
      expect(lost.isErr() && lost.error).toMatchObject({ code: 'store_failure', outcome: 'unknown', cause: expect.anything() });
      expect(lost.isErr() && lost.error.message).toContain('may or may not have been kept');
      // Why "unknown" and not "rolled_back": the server kept it.
      expect(await productIds(store)).toEqual(['before', 'lost-answer']);
      // The store goes on, on a fresh connection.
      expect((await putProduct(store, 'after')).isOk()).toBe(true);
    });

    it('R27: a connection lost before COMMIT answers store_failure with outcome rolled_back, and nothing was kept', async () => {
      const opened = await target.open();
      cleanups.push(opened.drop);
      const faulty = lostConnectionDialect(opened.inner(opened.url), opened.killer);
      const db = new Kysely<CxDatabase>({ dialect: faulty.dialect });
      cleanups.push(() => db.destroy());
      expect((await migrateCxSchema(db)).isOk()).toBe(true);
      const store = createSqlStore(db, { dialect: target.dialect });

      // The session dies as the product is sent, before any COMMIT.
      let writes = 0;
      faulty.armKillBefore(/insert into .?cx_products/i);
      const killed = await store.transaction('acme', 'write', async (tx) => {
        await tx.setProduct({ productId: 'other', name: 'Other', seatLimit: 1, quantity: 1 });
        writes += 1;
        return ok('committed');
      });
      expect(faulty.kills()).toBe(1);
      expect(writes).toBe(0);
      expect(killed.isErr() && killed.error).toMatchObject({ code: 'store_failure', outcome: 'rolled_back' });
      expect(await productIds(store)).toEqual([]);
    });
  });
}

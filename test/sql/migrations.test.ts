/**
 * Migrations and openers: idempotent on every database, a failure is a value (and the
 * opener's rejection says why), the dialect is read from the Kysely instance.
 */
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import { Kysely, Migrator, MysqlDialect, NO_MIGRATIONS, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { ok } from 'neverthrow';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CX_MIGRATION_LOCK_TABLE, CX_MIGRATION_TABLE, cxMigrations, migrateCxSchema } from '../../adapters/sql/cx-migrations.js';
import { openMysql } from '../../adapters/sql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/open-postgres.js';
import { openSqlite } from '../../adapters/sql/open-sqlite.js';
import { pgliteDialect } from '../../adapters/sql/pglite-dialect.js';
import { detectDialect, type SqlDialectName } from '../../adapters/sql/sql-dialect.js';
import { createSqlStore } from '../../adapters/sql/sql-store.js';
import {
  checkAvailable,
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlFactory,
  postgresFactory,
  CX_TABLES,
} from '../stores/sql-stores.js';

type Backend = { name: string; dialect: SqlDialectName; open: () => Promise<{ db: Kysely<any>; done: () => Promise<void> }> };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

let sharedPglite: Promise<PGlite> | null = null;

const backends: Backend[] = [
  {
    name: 'sqlite',
    dialect: 'sqlite',
    open: async () => {
      const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
      return { db, done: () => db.destroy() };
    },
  },
  {
    name: 'pglite',
    dialect: 'postgres',
    open: async () => {
      sharedPglite ??= PGlite.create().then((instance) => {
        cleanups.push(() => instance.close());
        return instance;
      });
      const pglite = await sharedPglite;
      await pglite.exec('drop schema public cascade; create schema public;');
      const db = new Kysely<any>({ dialect: pgliteDialect(pglite) });
      return { db, done: () => db.destroy() };
    },
  },
];
if (await checkAvailable(postgresFactory)) {
  backends.push({
    name: 'postgresql',
    dialect: 'postgres',
    open: async () => {
      const database = await createPostgresDatabase();
      cleanups.push(database.drop);
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 4 }) }) });
      return { db, done: () => db.destroy() };
    },
  });
}
if (await checkAvailable(mysqlFactory)) {
  backends.push({
    name: 'mariadb',
    dialect: 'mysql',
    open: async () => {
      const database = await createMysqlDatabase();
      cleanups.push(database.drop);
      const db = new Kysely<any>({ dialect: new MysqlDialect({ pool: createPool({ uri: database.url, connectionLimit: 4 }) }) });
      return { db, done: () => db.destroy() };
    },
  });
}

const migrator = (db: Kysely<any>) =>
  new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...cxMigrations }) },
    migrationTableName: CX_MIGRATION_TABLE,
    migrationLockTableName: CX_MIGRATION_LOCK_TABLE,
  });

describe.each(backends)('migrations: $name', (backend) => {
  it('reads the dialect from the Kysely instance', async () => {
    const { db, done } = await backend.open();
    expect(detectDialect(db)).toBe(backend.dialect);
    await done();
  });

  it('migrate twice: the second run changes nothing (fast path and Migrator alike); down and up again', async () => {
    const { db, done } = await backend.open();
    try {
      const every = Object.keys(cxMigrations).sort();
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: every });
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: [] });
      const again = await migrator(db).migrateToLatest();
      expect(again.error).toBeUndefined();
      expect(again.results).toEqual([]);
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      for (const table of CX_TABLES) expect(tables).toContain(table);

      const down = await migrator(db).migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const left = (await db.introspection.getTables()).map((table) => table.name).filter((name) => CX_TABLES.includes(name as never));
      expect(left).toEqual([]);
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: every });
    } finally {
      await done();
    }
  });

  it('a failed migration is a store_failure naming it, and an opener on that database rejects', async () => {
    const { db, done } = await backend.open();
    try {
      // A table of ours already there, made by someone else: the migration cannot create it.
      await sql`create table cx_accounts (something integer)`.execute(db);
      const failed = await migrateCxSchema(db);
      expect(failed.isErr() && failed.error).toMatchObject({
        code: 'store_failure',
        message: expect.stringContaining('"0001_initial_schema" failed'),
        cause: expect.anything(),
      });
    } finally {
      await done();
    }
  });

  it('a store on the caller\'s own Kysely instance works and leaves the instance open', async () => {
    const { db, done } = await backend.open();
    try {
      (await migrateCxSchema(db))._unsafeUnwrap();
      const store = createSqlStore(db, { dialect: backend.dialect });
      const result = await store.transaction('acme', 'write', async (tx) => {
        await tx.putProduct({ productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 1 });
        return ok(await tx.listProducts());
      });
      expect(result._unsafeUnwrap()).toEqual([{ productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 1 }]);
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from cx_products`.execute(db);
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await done();
    }
  });
});

describe('servers: concurrent migrations', () => {
  for (const [name, create, open] of [
    ['postgresql', createPostgresDatabase, (url: string) => openPostgres({ connectionString: url, poolSize: 2 })],
    ['mariadb', createMysqlDatabase, (url: string) => openMysql({ uri: url, poolSize: 2 })],
  ] as const) {
    it.skipIf(!backends.some((backend) => backend.name === name))(`${name}: three openers at once on a new database all succeed`, async () => {
      const database = await create();
      cleanups.push(database.drop);
      const stores = await Promise.all([open(database.url), open(database.url), open(database.url)]);
      for (const store of stores) {
        const listed = await store.transaction('acme', 'read', async (tx) => ok(await tx.listProducts()));
        expect(listed._unsafeUnwrap()).toEqual([]);
        await store.close();
      }
    });
  }
});

describe('openers reject, at setup only, with a message saying why', () => {
  it('SQLite: a file in a folder that does not exist', async () => {
    await expect(openSqlite('/nonexistent-folder/cx/x.sqlite')).rejects.toThrow(/cannot open SQLite database .*x\.sqlite/);
  });

  it('PostgreSQL: an unreachable server, and a config that is not one', async () => {
    await expect(openPostgres({ connectionString: 'postgres://postgres@127.0.0.1:1/nothing' })).rejects.toThrow(
      /cannot open PostgreSQL database: migration .*failed/,
    );
    await expect(openPostgres({} as never)).rejects.toThrow(/connectionString must be a string/);
  });

  it('MySQL: an unreachable server, and a config that is not one', async () => {
    await expect(openMysql({ uri: 'mysql://root@127.0.0.1:1/nothing' })).rejects.toThrow(/cannot open MySQL database/);
    await expect(openMysql(null as never)).rejects.toThrow(/uri must be a string/);
  });

  it('createSqlStore refuses an unknown dialect', () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    expect(() => createSqlStore(db, { dialect: 'oracle' as never })).toThrow(/dialect must be/);
  });
});

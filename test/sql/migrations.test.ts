import { createHash } from 'node:crypto';
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
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CX_MIGRATION_LOCK_TABLE, CX_MIGRATION_TABLE, cxMigrations, migrateCxSchema } from '../../adapters/sql/migrations/cx-migrations.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { pgliteDialect } from '../../adapters/sql/postgres/pglite-dialect.js';
import { detectDialect, type SqlDialectName } from '../../adapters/sql/sql-dialect.js';
import { createSqlStore } from '../../adapters/sql/store/sql-store.js';
import {
  checkAvailable,
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlFactory,
  postgresFactory,
  CX_TABLES,
} from '../stores/sql-stores.js';

// PGlite runs PostgreSQL in WebAssembly on the CPU: on a loaded machine its start and each migration wait for CPU time, legitimately: the test waits longer rather than failing a slow machine (no speed is asserted).
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

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
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: Object.keys(cxMigrations) });
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: [] });
      const again = await migrator(db).migrateToLatest();
      expect(again.error).toBeUndefined();
      expect(again.results).toEqual([]);
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      for (const table of CX_TABLES) expect(tables).toContain(table);

      const downOne = await migrator(db).migrateTo('0001_initial_schema');
      expect(downOne.error).toBeUndefined();
      const afterOne = await db.introspection.getTables();
      expect(afterOne.map((table) => table.name)).not.toContain('cx_events');
      expect(afterOne.find((table) => table.name === 'cx_history')!.columns.map((column) => column.name)).not.toContain('message_id');
      const down = await migrator(db).migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const left = (await db.introspection.getTables()).map((table) => table.name).filter((name) => CX_TABLES.includes(name as never));
      expect(left).toEqual([]);
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: Object.keys(cxMigrations) });
    } finally {
      await done();
    }
  });

  it('0002 fills in the new history columns of rows stored before it (auto_reply becomes account)', async () => {
    const { db, done } = await backend.open();
    try {
      const first = await migrator(db).migrateTo('0001_initial_schema');
      expect(first.error).toBeUndefined();
      const account = (key: string, id: string, name: string, resetAt: number | null) => ({
        key, domain_id: 'acme', id, name, name_key: name.toLowerCase(), active_id: resetAt === null ? id : null,
        active_domain_id: resetAt === null ? 'acme' : null, active_name_hash: resetAt === null ? `hash-${key}` : null,
        product_id: 'basic', agent_count: 1, contact_url: `https://x.test/${key}`, activated_at: 1000, reset_at: resetAt, version: 1,
        settings: JSON.stringify({ timeZone: 'Asia/Seoul' }),
      });
      await db.insertInto('cx_accounts').values([account('k1', 'help', 'Help', null), account('k0', 'help', 'Old help', 500)]).execute();
      await db.insertInto('cx_contacts').values({ account_key: 'k1', customer_id: 'c1', name: 'Lee', channel: 'line', added_at: 1 }).execute();
      const message = (key: string, customer: string, kind: string, content: string, at: number) => ({
        account_key: key, customer_id: customer, customer_name: 'Lee', sent_at: at, sender_kind: kind, sender_name: 'N', content,
      });
      for (const row of [
        message('k1', 'c1', 'customer', 'hi', 10),
        message('k1', 'c1', 'auto_reply', 'away', 10),
        message('k1', 'c1', 'agent', 'hello', 11),
        message('k0', 'c2', 'customer', 'old', 5),
      ]) {
        await db.insertInto('cx_history').values(row).execute();
      }
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: Object.keys(cxMigrations).slice(1) });
      const rows = await db
        .selectFrom('cx_history')
        .select(['seq', 'domain_id', 'message_id', 'account_name', 'channel', 'sender_kind', 'sender_id', 'event_seq', 'content'])
        .orderBy('seq')
        .execute();
      expect(rows.map((row) => ({ ...row, seq: Number(row.seq), event_seq: Number(row.event_seq) }))).toEqual([
        { seq: 1, domain_id: 'acme', message_id: 'm00000000000000000001', account_name: 'Help', channel: 'line', sender_kind: 'customer', sender_id: 'c1', event_seq: 0, content: 'hi' },
        { seq: 2, domain_id: 'acme', message_id: 'm00000000000000000002', account_name: 'Help', channel: 'line', sender_kind: 'account', sender_id: 'help', event_seq: 0, content: 'away' },
        { seq: 3, domain_id: 'acme', message_id: 'm00000000000000000003', account_name: 'Help', channel: 'line', sender_kind: 'agent', sender_id: '', event_seq: 0, content: 'hello' },
        { seq: 4, domain_id: 'acme', message_id: 'm00000000000000000004', account_name: 'Old help', channel: 'lineworks', sender_kind: 'customer', sender_id: 'c2', event_seq: 0, content: 'old' },
      ]);
      // Required from now on (SQLite keeps the defaults it needed to add them).
      if (backend.dialect !== 'sqlite') await expect(sql`insert into cx_history (account_key, customer_id, customer_name, sent_at, sender_kind, sender_name, content) values ('k1', 'c1', 'x', 1, 'customer', 'x', 'x')`.execute(db)).rejects.toThrow();
      const store = createSqlStore(db, { dialect: backend.dialect });
      const read = await store.transaction('acme', 'read', async (tx) => ok(await tx.readHistory({ accountIds: ['help'] }, null, 10)));
      expect(read._unsafeUnwrap().map((row) => [row.content, row.accountId, row.timeZone])).toEqual([
        ['old', 'help', 'Asia/Seoul'],
        ['hi', 'help', 'Asia/Seoul'],
        ['away', 'help', 'Asia/Seoul'],
        ['hello', 'help', 'Asia/Seoul'],
      ]);
    } finally {
      await done();
    }
  });

  it('R47 R48: 0005 keys receipts by direction (old ones kept as repeats) and recomputes the name keys of active accounts', async () => {
    const { db, done } = await backend.open();
    try {
      expect((await migrator(db).migrateTo('0004_backup_audit')).error).toBeUndefined();
      const account = (key: string, id: string, name: string, activatedAt: number) => ({
        key, domain_id: 'acme', id, name, name_key: name.normalize('NFKC').toLowerCase(), active_id: id, active_domain_id: 'acme',
        active_name_hash: createHash('sha256').update(name.normalize('NFKC').toLowerCase(), 'utf8').digest('hex'),
        product_id: 'basic', agent_count: 1, contact_url: `https://x.test/${key}`, activated_at: activatedAt, reset_at: null, version: 1,
        settings: JSON.stringify({ timeZone: 'UTC' }),
      });
      // Released with the old key: `Help` and `Help` + U+FE0F side by side; `Desk` + U+3164 alone.
      await db.insertInto('cx_accounts').values([
        account('k1', 'help', 'Help', 1000),
        account('k2', 'help2', 'Help\uFE0F', 2000),
        account('k3', 'desk', 'Desk\u3164', 3000),
      ]).execute();
      await db.insertInto('cx_receipts').values([
        { account_key: 'k1', message_id: 'wh-1', customer_id: 'c1', answer: JSON.stringify({ kind: 'away', text: 'Back at 9' }), at: 5 },
        { account_key: 'k1', message_id: 'wh-2', customer_id: 'c1', answer: 'null', at: 6 },
      ]).execute();
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: ['0005_message_directions', '0007_webhooks'] });

      const store = createSqlStore(db, { dialect: backend.dialect });
      const read = await store.transaction('acme', 'read', async (tx) =>
        ok({
          awayIn: await tx.findReceipt('k1', 'incoming', 'wh-1'),
          awayOut: await tx.findReceipt('k1', 'outgoing', 'wh-1'),
          nullIn: await tx.findReceipt('k1', 'incoming', 'wh-2'),
          nullOut: await tx.findReceipt('k1', 'outgoing', 'wh-2'),
          help: await tx.findAccountByName('help'),
          desk: await tx.findAccountByName('desk'),
        }),
      );
      const found = read._unsafeUnwrap();
      expect(found.awayIn).toEqual({ accountKey: 'k1', direction: 'incoming', messageId: 'wh-1', customerId: 'c1', message: null, answer: { kind: 'away', text: 'Back at 9' }, at: new Date(5) });
      expect(found.awayOut).toBeNull();
      expect(found.nullIn).toMatchObject({ direction: 'incoming', message: null, answer: null });
      expect(found.nullOut).toMatchObject({ direction: 'outgoing', message: null, answer: null });
      // The account activated first keeps the name; the other keeps its old key (grandfathered).
      expect(found.help).toEqual({ key: 'k1', id: 'help' });
      expect(found.desk).toEqual({ key: 'k3', id: 'desk' });
      const keys = await db.selectFrom('cx_accounts').select(['key', 'name_key']).orderBy('key').execute();
      expect(keys).toEqual([
        { key: 'k1', name_key: 'help' },
        { key: 'k2', name_key: 'help\uFE0F' },
        { key: 'k3', name_key: 'desk' },
      ]);
      // Down to 0004 and up again: the receipts and the history indexes come back.
      expect((await migrator(db).migrateTo('0004_backup_audit')).error).toBeUndefined();
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: ['0005_message_directions', '0007_webhooks'] });
      const again = await store.transaction('acme', 'read', async (tx) => ok(await tx.findReceipt('k1', 'incoming', 'wh-1')));
      expect(again._unsafeUnwrap()).toMatchObject({ answer: { kind: 'away', text: 'Back at 9' } });
    } finally {
      await done();
    }
  });

  it.skipIf(backend.dialect !== 'mysql')('MySQL: 0002 stopped halfway (DDL commits at once) runs again and completes', async () => {
    const { db, done } = await backend.open();
    try {
      (await migrateCxSchema(db))._unsafeUnwrap();
      expect((await migrator(db).migrateTo('0003_domain_lock_version')).error).toBeUndefined();
      // As if the run had stopped after the history columns: later steps not done, not recorded.
      await sql`delete from cx_migrations where name in ('0002_events_and_history_reads', '0003_domain_lock_version')`.execute(db);
      await sql`alter table cx_domains drop column lock_version`.execute(db);
      await sql`drop table cx_receipts`.execute(db);
      await sql`drop index cx_contacts_account_order on cx_contacts`.execute(db);
      expect((await migrateCxSchema(db))._unsafeUnwrap()).toEqual({ applied: Object.keys(cxMigrations).slice(1) });
      const tables = await db.introspection.getTables();
      expect(tables.map((table) => table.name)).toContain('cx_receipts');
      const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.statistics
        where table_schema = database() and index_name = 'cx_contacts_account_order'`.execute(db);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
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
        await tx.setProduct({ productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 1 });
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

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectMigration } from './dialect-migration.js';

// Frozen in time: this file imports nothing of the library. Types, names and SQL are written
// out as they were when this migration was released.

type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** Column types of this migration, per dialect. */
const TYPES = {
  sqlite: { millis: 'integer', longText: 'text', binary: '' },
  postgres: { millis: 'bigint', longText: 'text', binary: ' collate "C"' },
  mysql: { millis: 'bigint', longText: 'mediumtext', binary: '' },
} as const;

/** Binary NO PAD collations first: `'a'` and `'a '` must differ, as they do in JavaScript. */
const MYSQL_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_bin'];

async function mysqlTableOptions(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select collation_name as name from information_schema.collations
    where collation_name in (${sql.join(MYSQL_BINARY_COLLATIONS)})`.execute(db);
  const available = new Set(rows.map((row) => row.name));
  const collation = MYSQL_BINARY_COLLATIONS.find((name) => available.has(name)) ?? 'utf8mb4_bin';
  return ` engine=InnoDB default charset=utf8mb4 collate=${collation}`;
}

/**
 * What MySQL/MariaDB already has: DDL there commits at once, so a run that failed halfway
 * left some steps done, and the next run skips them.
 */
async function mysqlHas(db: Kysely<any>, what: 'table' | 'column' | 'index', table: string, name?: string): Promise<boolean> {
  const query =
    what === 'table'
      ? sql<{ n: unknown }>`select 1 as n from information_schema.tables where table_schema = database() and table_name = ${table}`
      : what === 'column'
        ? sql<{ n: unknown }>`select 1 as n from information_schema.columns
            where table_schema = database() and table_name = ${table} and column_name = ${name}`
        : sql<{ n: unknown }>`select 1 as n from information_schema.statistics
            where table_schema = database() and table_name = ${table} and index_name = ${name}`;
  return (await query.execute(db)).rows.length > 0;
}

/** Indexes this migration adds: name, table, columns. */
const INDEXES: readonly [string, string, readonly string[]][] = [
  // Keyset reads of a domain's history, all of it, by account, by customer (R39, R42, R45).
  ['cx_history_domain_order', 'cx_history', ['domain_id', 'sent_at', 'message_id']],
  ['cx_history_account_time', 'cx_history', ['account_key', 'sent_at', 'message_id']],
  ['cx_history_domain_customer', 'cx_history', ['domain_id', 'customer_id', 'sent_at', 'message_id']],
  // Contacts of an account page by (added_at, customer_id) (R40).
  ['cx_contacts_account_order', 'cx_contacts', ['account_key', 'added_at', 'customer_id']],
  // Every account that ever had an ID in a domain (R39's accountId filter).
  ['cx_accounts_domain_id', 'cx_accounts', ['domain_id', 'id']],
  // A customer's consultation rooms and receipts, for erasure (R42).
  ['cx_rooms_customer', 'cx_rooms', ['customer_id', 'account_key']],
  ['cx_receipts_customer', 'cx_receipts', ['customer_id', 'account_key']],
];

/**
 * The second version of the schema: the event log (R30–R32), history reads with filters and
 * paging (R39), contacts paging (R40), erasure (R42), receipts of transport ids (R47).
 *
 * - `cx_domains.last_seq`: the domain's highest event `seq` (0 before the first event).
 * - `cx_events (domain_id, seq, …)`, primary key `(domain_id, seq)`.
 * - `cx_history` gains `domain_id`, `message_id`, `account_name`, `channel`, `sender_id`,
 *   `event_seq`. Rows already stored get: their account's domain and current name; the
 *   contact's channel (`lineworks` without one); `message_id` `'m'` + their `seq` zero-padded
 *   to 20 digits (so their order among equal instants stays the order they were stored in);
 *   `sender_id` the customer's ID for customer rows, the account's ID for automatic replies,
 *   `''` for agents (not recorded before); `event_seq` 0. `sender_kind` `auto_reply` becomes
 *   `account`.
 * - `cx_receipts (account_key, message_id, customer_id, answer, at)`.
 * - PostgreSQL: `cx_contacts.customer_id` compares byte-wise (`collate "C"`), as
 *   JavaScript orders, for contacts paging; so does the new `cx_history.message_id`.
 *
 * SQLite runs it in one savepoint (so inside `openSqlite`'s lock too), PostgreSQL in the migrator's; MySQL commits each DDL
 * statement, so there every step is skipped when already done and the backfill only touches
 * rows that do not have their values yet.
 */
export const eventsAndHistoryReadsMigration: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect): Promise<void> {
    if (dialect === 'sqlite') {
      // A savepoint, not BEGIN: `openSqlite` may already hold the file's write lock in a
      // transaction (several processes opening one new file), and a savepoint nests in it.
      await sql`savepoint cx_0002`.execute(db);
      try {
        await upgrade(db, dialect);
        await sql`release cx_0002`.execute(db);
      } catch (error) {
        await sql`rollback to cx_0002`.execute(db).catch(() => undefined);
        await sql`release cx_0002`.execute(db).catch(() => undefined);
        throw error;
      }
    } else {
      await upgrade(db, dialect);
    }
  },

  async down(db: Kysely<any>, dialect: Dialect): Promise<void> {
    for (const [name, table] of INDEXES) {
      if (table === 'cx_receipts') continue;
      if (dialect === 'mysql') {
        if (await mysqlHas(db, 'index', table, name)) await sql`drop index ${sql.id(name)} on ${sql.id(table)}`.execute(db);
      } else {
        await sql`drop index if exists ${sql.id(name)}`.execute(db);
      }
    }
    await sql`drop table if exists cx_receipts`.execute(db);
    await sql`drop table if exists cx_events`.execute(db);
    await sql`update cx_history set sender_kind = 'auto_reply' where sender_kind = 'account'`.execute(db);
    for (const column of ['domain_id', 'message_id', 'account_name', 'channel', 'sender_id', 'event_seq']) {
      await sql`alter table cx_history drop column ${sql.id(column)}`.execute(db);
    }
    await sql`alter table cx_domains drop column last_seq`.execute(db);
  },
};

async function upgrade(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const types = TYPES[dialect];
  const millis = types.millis;
  const tableOptions = dialect === 'mysql' ? await mysqlTableOptions(db) : '';
  const mysql = dialect === 'mysql';
  const run = (statement: RawBuilder<unknown> | string) => (typeof statement === 'string' ? sql.raw(statement) : statement).execute(db);

  // The event log.
  if (!mysql || !(await mysqlHas(db, 'column', 'cx_domains', 'last_seq'))) {
    await run(`alter table cx_domains add column last_seq ${millis} not null default 0`);
  }
  if (!mysql || !(await mysqlHas(db, 'table', 'cx_events'))) {
    await run(
      `create table cx_events (domain_id varchar(128) not null, seq ${millis} not null, type varchar(64) not null,` +
        ` account_id varchar(20), account_uid varchar(128), ${quote(dialect, 'at')} ${millis} not null, actor text,` +
        ` data ${types.longText} not null, constraint cx_events_pk primary key (domain_id, seq))${tableOptions}`,
    );
  }

  // Receipts of transport message ids.
  if (!mysql || !(await mysqlHas(db, 'table', 'cx_receipts'))) {
    await run(
      `create table cx_receipts (account_key varchar(128) not null, message_id varchar(200) not null,` +
        ` customer_id varchar(128) not null, answer ${types.longText} not null, ${quote(dialect, 'at')} ${millis} not null,` +
        ` constraint cx_receipts_pk primary key (account_key, message_id))${tableOptions}`,
    );
  }

  // History: new columns, filled in for the rows already stored, then required.
  const columns: [string, string, string][] = [
    ['domain_id', 'varchar(128)', "''"],
    ['message_id', `varchar(200)${types.binary}`, "''"],
    ['account_name', 'text', "''"],
    ['channel', 'varchar(16)', "'lineworks'"],
    ['sender_id', 'varchar(128)', "''"],
  ];
  if (dialect === 'sqlite') {
    // SQLite adds a NOT NULL column only with a default; the store always writes them.
    for (const [name, type, fallback] of columns) await run(`alter table cx_history add column ${name} ${type} not null default ${fallback}`);
    await run(`alter table cx_history add column event_seq integer not null default 0`);
  } else if (!mysql || !(await mysqlHas(db, 'column', 'cx_history', 'event_seq'))) {
    // Nullable first (no rewrite of every row), required once filled in.
    await run(
      `alter table cx_history ${columns.map(([name, type]) => `add column ${name} ${type}`).join(', ')}, add column event_seq bigint not null default 0`,
    );
  }
  const key = quote(dialect, 'key');
  const accountOf = (column: string) =>
    `(select account.${column} from cx_accounts account where account.${key} = cx_history.account_key)`;
  const paddedSeq =
    dialect === 'sqlite'
      ? `'m' || printf('%020d', seq)`
      : dialect === 'postgres'
        ? `'m' || lpad(cast(seq as text), 20, '0')`
        : `concat('m', lpad(cast(seq as char), 20, '0'))`;
  // Assignments run left to right on MySQL (later ones see earlier ones): sender_kind last.
  await run(
    `update cx_history set` +
      ` domain_id = coalesce(${accountOf('domain_id')}, ''),` +
      ` message_id = ${paddedSeq},` +
      ` account_name = coalesce(${accountOf('name')}, ''),` +
      ` channel = coalesce((select contact.channel from cx_contacts contact` +
      ` where contact.account_key = cx_history.account_key and contact.customer_id = cx_history.customer_id), 'lineworks'),` +
      ` sender_id = case sender_kind when 'customer' then customer_id when 'auto_reply' then coalesce(${accountOf('id')}, '') else '' end,` +
      ` sender_kind = case sender_kind when 'auto_reply' then 'account' else sender_kind end` +
      (dialect === 'sqlite' ? ` where message_id = ''` : ` where message_id is null`),
  );
  if (dialect === 'postgres') {
    await run(`alter table cx_history ${columns.map(([name]) => `alter column ${name} set not null`).join(', ')}`);
    // Contacts page by customer_id: byte-wise, as JavaScript orders.
    await run(`alter table cx_contacts alter column customer_id type varchar(128) collate "C"`);
  } else if (mysql) {
    await run(`alter table cx_history ${columns.map(([name, type]) => `modify ${name} ${type} not null`).join(', ')}`);
  }

  for (const [name, table, indexColumns] of INDEXES) {
    if (mysql && (await mysqlHas(db, 'index', table, name))) continue;
    await db.schema.createIndex(name).on(table).columns([...indexColumns]).execute();
  }
}

/** An identifier the dialect reserves (`key` on MySQL), quoted. */
function quote(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

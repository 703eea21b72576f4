import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DialectMigration } from './dialect-migration.js';

// Frozen in time: this file imports nothing of the library. Types, names, SQL and the name key
// function are written out as they were when this migration was released.

type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** Column types of this migration, per dialect. */
const TYPES = {
  sqlite: { millis: 'integer', longText: 'text' },
  postgres: { millis: 'bigint', longText: 'text' },
  mysql: { millis: 'bigint', longText: 'mediumtext' },
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

/** What MySQL/MariaDB already has: DDL there commits at once, so a run that failed halfway is resumed. */
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

/** History indexes of migration 0002, replaced by the same columns followed by `event_seq`. */
const HISTORY_INDEXES: readonly [old: string, replacement: string, columns: readonly string[]][] = [
  ['cx_history_domain_order', 'cx_history_domain_order_seq', ['domain_id', 'sent_at', 'message_id', 'event_seq']],
  ['cx_history_account_time', 'cx_history_account_time_seq', ['account_key', 'sent_at', 'message_id', 'event_seq']],
  ['cx_history_domain_customer', 'cx_history_domain_customer_seq', ['domain_id', 'customer_id', 'sent_at', 'message_id', 'event_seq']],
];

/**
 * Migration `0005_message_directions` (R47, R48):
 *
 * - `cx_receipts` is keyed by `(account_key, direction, message_id)`: incoming and outgoing
 *   transport ids are apart. It gains `direction` (`incoming` | `outgoing`) and `message` (what
 *   tells the message from another under the same id; `NULL` for receipts kept before). A
 *   receipt kept before is copied as `incoming`, and also as `outgoing` when its answer is
 *   `null` (a `sendMessage` receipt always was; a `receiveMessage` one that sent no reply may
 *   have been): a repeat of an old call stays a repeat in the direction it may have gone.
 * - The history's keyset indexes end in `event_seq`: two messages may now share an instant and
 *   a transport id (in and out, or two accounts), and reads order them by `event_seq` next.
 * - Account names compare without default-ignorable code points and fillers (R48): the name
 *   key (and its hash) of every active account is computed again with the function below.
 *   Where two active accounts' names now collide, the account activated first gets the new
 *   key and the other keeps its old one (both stay as they are; a rename of either is checked
 *   by the new rule).
 *
 * SQLite runs it in one savepoint, PostgreSQL in the migrator's transaction; MySQL commits each
 * DDL statement, so there every step is skipped when already done.
 */
export const messageDirectionsMigration: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect): Promise<void> {
    if (dialect === 'sqlite') {
      // A savepoint, not BEGIN: `openSqlite` may already hold the file's write lock in a transaction.
      await sql`savepoint cx_0005`.execute(db);
      try {
        await upgrade(db, dialect);
        await sql`release cx_0005`.execute(db);
      } catch (error) {
        await sql`rollback to cx_0005`.execute(db).catch(() => undefined);
        await sql`release cx_0005`.execute(db).catch(() => undefined);
        throw error;
      }
    } else {
      await upgrade(db, dialect);
    }
  },

  async down(db: Kysely<any>, dialect: Dialect): Promise<void> {
    const types = TYPES[dialect];
    const run = (statement: string) => sql.raw(statement).execute(db);
    const tableOptions = dialect === 'mysql' ? await mysqlTableOptions(db) : '';
    for (const [old, replacement, columns] of HISTORY_INDEXES) {
      if (dialect === 'mysql') {
        if (!(await mysqlHas(db, 'index', 'cx_history', old))) await db.schema.createIndex(old).on('cx_history').columns([...columns.slice(0, -1)]).execute();
        if (await mysqlHas(db, 'index', 'cx_history', replacement)) await run(`drop index ${replacement} on cx_history`);
      } else {
        await db.schema.createIndex(old).ifNotExists().on('cx_history').columns([...columns.slice(0, -1)]).execute();
        await run(`drop index if exists ${replacement}`);
      }
    }
    await run(
      `create table cx_receipts_0002 (account_key varchar(128) not null, message_id varchar(200) not null,` +
        ` customer_id varchar(128) not null, answer ${types.longText} not null, ${quote(dialect, 'at')} ${types.millis} not null,` +
        ` constraint cx_receipts_0002_pk primary key (account_key, message_id))${tableOptions}`,
    );
    await run(
      `insert into cx_receipts_0002 (account_key, message_id, customer_id, answer, ${quote(dialect, 'at')})` +
        ` select account_key, message_id, customer_id, answer, ${quote(dialect, 'at')} from cx_receipts where direction = 'incoming'`,
    );
    await run(`drop table cx_receipts`);
    await run(`alter table cx_receipts_0002 rename to cx_receipts`);
    await db.schema.createIndex('cx_receipts_customer').on('cx_receipts').columns(['customer_id', 'account_key']).execute();
  },
};

async function upgrade(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const types = TYPES[dialect];
  const mysql = dialect === 'mysql';
  const run = (statement: RawBuilder<unknown> | string) => (typeof statement === 'string' ? sql.raw(statement) : statement).execute(db);
  const at = quote(dialect, 'at');

  // Receipts: a new table with the new key, filled from the old one, then renamed over it.
  const done = mysql && (await mysqlHas(db, 'column', 'cx_receipts', 'direction'));
  if (!done) {
    if (!mysql || !(await mysqlHas(db, 'table', 'cx_receipts_0005'))) {
      await run(
        `create table cx_receipts_0005 (account_key varchar(128) not null, direction varchar(8) not null,` +
          ` message_id varchar(200) not null, customer_id varchar(128) not null, message ${types.longText},` +
          ` answer ${types.longText} not null, ${at} ${types.millis} not null,` +
          ` constraint cx_receipts_0005_pk primary key (account_key, direction, message_id))` +
          (mysql ? await mysqlTableOptions(db) : ''),
      );
    }
    if (!mysql || (await mysqlHas(db, 'table', 'cx_receipts'))) {
      await run(`delete from cx_receipts_0005`);
      const columns = `account_key, direction, message_id, customer_id, message, answer, ${at}`;
      await run(`insert into cx_receipts_0005 (${columns}) select account_key, 'incoming', message_id, customer_id, null, answer, ${at} from cx_receipts`);
      await run(
        `insert into cx_receipts_0005 (${columns}) select account_key, 'outgoing', message_id, customer_id, null, answer, ${at} from cx_receipts` +
          ` where answer = 'null'`,
      );
      await run(`drop table cx_receipts`);
    }
    await run(`alter table cx_receipts_0005 rename to cx_receipts`);
  }
  if (!mysql || !(await mysqlHas(db, 'index', 'cx_receipts', 'cx_receipts_customer'))) {
    // Dropped with the old table (SQLite, PostgreSQL and MySQL drop a table's indexes with it).
    await db.schema.createIndex('cx_receipts_customer').on('cx_receipts').columns(['customer_id', 'account_key']).execute();
  }

  // History keyset indexes that end in event_seq.
  for (const [old, replacement, columns] of HISTORY_INDEXES) {
    if (!mysql || !(await mysqlHas(db, 'index', 'cx_history', replacement))) {
      await db.schema.createIndex(replacement).on('cx_history').columns([...columns]).execute();
    }
    if (mysql) {
      if (await mysqlHas(db, 'index', 'cx_history', old)) await run(`drop index ${old} on cx_history`);
    } else {
      await run(`drop index if exists ${old}`);
    }
  }

  // Name keys of the active accounts, computed again (R48).
  const key = quote(dialect, 'key');
  const { rows } = await sql<{ account_key: string; domain_id: string; name: string; name_key: string; active_name_hash: string }>`
    select ${sql.raw(key)} as account_key, domain_id, name, name_key, active_name_hash from cx_accounts
    where active_name_hash is not null order by domain_id, activated_at, ${sql.raw(key)}`.execute(db);
  const taken = new Set(rows.map((row) => `${row.domain_id}\u0000${row.active_name_hash}`));
  for (const row of rows) {
    const nameKey = nameKeyOf(row.name);
    if (nameKey === row.name_key) continue;
    const hash = createHash('sha256').update(nameKey, 'utf8').digest('hex');
    const slot = `${row.domain_id}\u0000${hash}`;
    // Another active account holds the new key already: this one keeps its old key.
    if (taken.has(slot)) continue;
    await sql`update cx_accounts set name_key = ${nameKey}, active_name_hash = ${hash} where ${sql.raw(key)} = ${row.account_key}`.execute(db);
    taken.delete(`${row.domain_id}\u0000${row.active_name_hash}`);
    taken.add(slot);
  }
}

/** Emoji joiners (kept): between two pictographs, the first optionally followed by a skin tone or VS16. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/u;
/** A subdivision flag (kept): a black flag, tag characters, a cancel tag. */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/u;
const IGNORABLE = new RegExp(
  `(${EMOJI_TAG_SEQUENCE.source})|(${EMOJI_JOINER.source})|[\\p{Default_Ignorable_Code_Point}\\u2800\\u{1D159}]`,
  'gu',
);

/** The name key of this migration's time: without default-ignorables and fillers, NFKC, lower case. */
function nameKeyOf(name: string): string {
  const strip = (text: string) => text.replace(IGNORABLE, (_match, tags: string | undefined, joiner: string | undefined) => tags ?? joiner ?? '');
  return strip(strip(name).normalize('NFKC')).toLowerCase();
}

/** An identifier the dialect reserves (`key` on MySQL), quoted. */
function quote(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

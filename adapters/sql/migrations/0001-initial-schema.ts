import {
  sql,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
} from 'kysely';
import type { DialectMigration } from './dialect-migration.js';

// Frozen in time: this file imports nothing of the library. The column types below are
// copies, as they were when this migration was released, of what
// `sql-dialect.ts` declared then; later changes there must not change this schema.

type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** Column types per dialect, as released with this migration. */
const TYPES = {
  sqlite: { longText: 'text', bytes: 'blob', millis: 'integer', sequence: 'autoincrement', binaryColumnCollation: null },
  postgres: { longText: 'text', bytes: 'bytea', millis: 'bigint', sequence: 'identity', binaryColumnCollation: '"C"' },
  mysql: { longText: 'mediumtext', bytes: 'longblob', millis: 'bigint', sequence: 'autoincrement', binaryColumnCollation: null },
} as const satisfies Record<
  Dialect,
  { longText: string; bytes: string; millis: string; sequence: 'autoincrement' | 'identity'; binaryColumnCollation: string | null }
>;

// Lengths of the identifiers the core validates (domain, member, customer ids: 128; product
// ids: 64; account IDs: 20). Keys, room and job ids are the store's own (UUIDs), given room.
const ID = 'varchar(128)' as const;
const ACCOUNT_ID = 'varchar(20)' as const;
const PRODUCT_ID = 'varchar(64)' as const;
const SHORT = 'varchar(16)' as const;
// SHA-256 hex of the normalised account name (see `name-key-hash.ts`).
const HASH = 'varchar(64)' as const;

/** Binary NO PAD collations first: `'a'` and `'a '` must differ, as they do in JavaScript. */
const MYSQL_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_bin'];

async function mysqlBinaryCollation(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select collation_name as name from information_schema.collations
    where collation_name in (${sql.join(MYSQL_BINARY_COLLATIONS)})`.execute(db);
  const available = new Set(rows.map((row) => row.name));
  return MYSQL_BINARY_COLLATIONS.find((name) => available.has(name)) ?? 'utf8mb4_bin';
}

/**
 * The first version of the schema: every table and index of `CxDatabase`.
 *
 * Uniqueness lives in the database too: `active_id` (unique) and `(domain_id,
 * active_name_hash)` (unique) are set while an account is active and `NULL` after a reset,
 * which works the same on SQLite, PostgreSQL and MySQL (NULLs never collide; no partial
 * index needed). Keyset paging of active accounts reads the index
 * `(active_domain_id, activated_at, id)`.
 */
export const initialSchemaMigration: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect): Promise<void> {
    const caps = { types: TYPES[dialect] as (typeof TYPES)[Dialect] };
    const tableOptions = dialect === 'mysql' ? sql.raw(`engine=InnoDB default charset=utf8mb4 collate=${await mysqlBinaryCollation(db)}`) : null;
    const table = (name: string): CreateTableBuilder<string, never> => {
      const builder = db.schema.createTable(name);
      return tableOptions ? builder.modifyEnd(tableOptions) : builder;
    };
    const binary = (column: ColumnDefinitionBuilder) =>
      caps.types.binaryColumnCollation ? column.modifyFront(sql.raw(`collate ${caps.types.binaryColumnCollation}`)) : column;
    const sequence = (column: ColumnDefinitionBuilder) =>
      caps.types.sequence === 'identity'
        ? column.generatedAlwaysAsIdentity().primaryKey()
        : column.primaryKey().autoIncrement();
    const sequenceType = dialect === 'sqlite' ? 'integer' : 'bigint';
    const longText = sql.raw(caps.types.longText);
    const bytes = sql.raw(caps.types.bytes);
    const millis = sql.raw(caps.types.millis);

    await table('cx_domains').addColumn('domain_id', ID, (c) => c.primaryKey()).execute();

    await table('cx_products')
      .addColumn('domain_id', ID, (c) => c.notNull())
      .addColumn('product_id', PRODUCT_ID, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('seat_limit', 'integer', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_products_pk', ['domain_id', 'product_id'])
      .execute();

    await table('cx_accounts')
      .addColumn('key', ID, (c) => binary(c).primaryKey())
      .addColumn('domain_id', ID, (c) => c.notNull())
      .addColumn('id', ACCOUNT_ID, (c) => binary(c).notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', longText, (c) => c.notNull())
      .addColumn('active_id', ACCOUNT_ID, (c) => binary(c))
      .addColumn('active_domain_id', ID)
      .addColumn('active_name_hash', HASH)
      .addColumn('description', 'text')
      .addColumn('image_file_name', 'text')
      .addColumn('image_byte_length', 'integer')
      .addColumn('image_width', 'integer')
      .addColumn('image_height', 'integer')
      .addColumn('product_id', PRODUCT_ID, (c) => c.notNull())
      .addColumn('agent_count', 'integer', (c) => c.notNull())
      .addColumn('contact_url', 'text', (c) => c.notNull())
      .addColumn('activated_at', millis, (c) => c.notNull())
      .addColumn('reset_at', millis)
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('settings', longText, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cx_accounts_active_id_unique').on('cx_accounts').column('active_id').unique().execute();
    await db.schema
      .createIndex('cx_accounts_active_name_unique')
      .on('cx_accounts')
      .columns(['domain_id', 'active_name_hash'])
      .unique()
      .execute();
    await db.schema
      .createIndex('cx_accounts_active_order')
      .on('cx_accounts')
      .columns(['active_domain_id', 'activated_at', 'id'])
      .execute();
    await db.schema
      .createIndex('cx_accounts_active_product')
      .on('cx_accounts')
      .columns(['active_domain_id', 'product_id', 'agent_count'])
      .execute();
    await db.schema.createIndex('cx_accounts_domain_order').on('cx_accounts').columns(['domain_id', 'activated_at', 'key']).execute();

    await table('cx_account_agents')
      .addColumn('account_key', ID, (c) => c.notNull())
      .addColumn('member_id', ID, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_account_agents_pk', ['account_key', 'member_id'])
      .execute();
    await db.schema.createIndex('cx_account_agents_member').on('cx_account_agents').columns(['member_id', 'account_key']).execute();

    await table('cx_account_images')
      .addColumn('account_key', ID, (c) => c.notNull())
      .addColumn('part', 'integer', (c) => c.notNull())
      .addColumn('data', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_account_images_pk', ['account_key', 'part'])
      .execute();

    await table('cx_contacts')
      .addColumn('account_key', ID, (c) => c.notNull())
      .addColumn('customer_id', ID, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('channel', SHORT, (c) => c.notNull())
      .addColumn('added_at', millis, (c) => c.notNull())
      .addColumn('welcomed_at', millis)
      .addColumn('last_auto_reply_kind', SHORT)
      .addColumn('last_auto_reply_at', millis)
      .addPrimaryKeyConstraint('cx_contacts_pk', ['account_key', 'customer_id'])
      .execute();

    await table('cx_rooms')
      .addColumn('seq', sequenceType, sequence)
      .addColumn('account_key', ID, (c) => c.notNull())
      .addColumn('room_id', ID, (c) => c.notNull())
      .addColumn('kind', SHORT, (c) => c.notNull())
      .addColumn('customer_id', ID)
      .addColumn('created_at', millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cx_rooms_account').on('cx_rooms').columns(['account_key', 'seq']).execute();

    await table('cx_room_agents')
      .addColumn('account_key', ID, (c) => c.notNull())
      .addColumn('room_id', ID, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('member_id', ID, (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_room_agents_pk', ['account_key', 'room_id', 'position'])
      .execute();
    await db.schema.createIndex('cx_room_agents_member').on('cx_room_agents').columns(['account_key', 'member_id']).execute();

    await table('cx_bots')
      .addColumn('domain_id', ID, (c) => c.notNull())
      .addColumn('bot_id', ID, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('origin', SHORT, (c) => c.notNull())
      .addColumn('account_key', ID)
      .addColumn('account_id', ACCOUNT_ID, (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_bots_pk', ['domain_id', 'bot_id'])
      .execute();
    await db.schema.createIndex('cx_bots_account').on('cx_bots').column('account_key').execute();

    await table('cx_history')
      .addColumn('seq', sequenceType, sequence)
      .addColumn('account_key', ID, (c) => c.notNull())
      .addColumn('customer_id', ID, (c) => c.notNull())
      .addColumn('customer_name', 'text', (c) => c.notNull())
      .addColumn('sent_at', millis, (c) => c.notNull())
      .addColumn('sender_kind', SHORT, (c) => c.notNull())
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('content', longText, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cx_history_account_order').on('cx_history').columns(['account_key', 'sent_at', 'seq']).execute();

    await table('cx_backup_jobs')
      .addColumn('domain_id', ID, (c) => c.notNull())
      .addColumn('job_id', ID, (c) => binary(c).notNull())
      .addColumn('status', SHORT, (c) => c.notNull())
      .addColumn('requested_at', millis, (c) => c.notNull())
      .addColumn('started_at', millis)
      .addColumn('ready_at', millis)
      .addColumn('failure_reason', longText)
      .addColumn('byte_length', millis)
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('heartbeat_at', millis)
      .addPrimaryKeyConstraint('cx_backup_jobs_pk', ['domain_id', 'job_id'])
      .execute();
    // The runner's queues span every domain: pending / stale running, and expired jobs.
    await db.schema.createIndex('cx_backup_jobs_queue').on('cx_backup_jobs').columns(['status', 'requested_at', 'job_id']).execute();

    await table('cx_backup_chunks')
      .addColumn('domain_id', ID, (c) => c.notNull())
      .addColumn('file_id', ID, (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('part', 'integer', (c) => c.notNull())
      .addColumn('data', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_backup_chunks_pk', ['domain_id', 'file_id', 'seq', 'part'])
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const name of [
      'cx_backup_chunks',
      'cx_backup_jobs',
      'cx_history',
      'cx_bots',
      'cx_room_agents',
      'cx_rooms',
      'cx_contacts',
      'cx_account_images',
      'cx_account_agents',
      'cx_accounts',
      'cx_products',
      'cx_domains',
    ]) {
      await db.schema.dropTable(name).ifExists().execute();
    }
  },
};

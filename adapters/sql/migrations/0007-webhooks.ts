import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DialectMigration } from './dialect-migration.js';

// Frozen in time: this file imports nothing of today's schema code (types are literal SQL).

type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** Binary NO PAD collations first, as in 0001. */
const MYSQL_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_bin'];

async function mysqlBinaryCollation(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select collation_name as name from information_schema.collations
    where collation_name in (${sql.join(MYSQL_BINARY_COLLATIONS)})`.execute(db);
  const available = new Set(rows.map((row) => row.name));
  return MYSQL_BINARY_COLLATIONS.find((name) => available.has(name)) ?? 'utf8mb4_bin';
}

/**
 * Webhooks and live subscriptions (R52–R54).
 *
 * - `cx_webhook_endpoints`: one row per endpoint, with where its delivery stands
 *   (`delivered_seq`, `attempt`, `next_attempt_at`) and the lease of the runner delivering it
 *   (`lease_token`, `lease_until`), so runners of many processes take turns per endpoint.
 * - `cx_webhook_attempts`: every delivery attempt, keyed by (endpoint, `seq`, `attempt`).
 * - PostgreSQL: a statement trigger on `cx_events` sends `NOTIFY cx_events, '<domain id>'` for
 *   each domain a statement wrote events of. NOTIFY is transactional: it reaches listeners
 *   when the writing transaction commits, and never when it rolls back.
 */
export const webhooksMigration: DialectMigration = {
  async up(db: Kysely<any>, dialect: Dialect): Promise<void> {
    const millis = dialect === 'sqlite' ? 'integer' : 'bigint';
    const tableOptions = dialect === 'mysql' ? sql.raw(`engine=InnoDB default charset=utf8mb4 collate=${await mysqlBinaryCollation(db)}`) : null;
    const table = (name: string): CreateTableBuilder<string, never> => {
      const builder = db.schema.createTable(name);
      return tableOptions ? builder.modifyEnd(tableOptions) : builder;
    };
    await table('cx_webhook_endpoints')
      .addColumn('domain_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('endpoint_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('types', 'text')
      .addColumn('description', 'text')
      .addColumn('secret', 'varchar(128)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('delivered_seq', millis, (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', millis)
      .addColumn('lease_token', 'varchar(64)')
      .addColumn('lease_until', millis)
      .addPrimaryKeyConstraint('cx_webhook_endpoints_pk', ['domain_id', 'endpoint_id'])
      .execute();
    await db.schema.createIndex('cx_webhook_endpoints_due').on('cx_webhook_endpoints').columns(['status', 'next_attempt_at']).execute();

    await table('cx_webhook_attempts')
      .addColumn('domain_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('endpoint_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('seq', millis, (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', millis, (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('error', 'varchar(500)')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('cx_webhook_attempts_pk', ['domain_id', 'endpoint_id', 'seq', 'attempt'])
      .execute();

    if (dialect === 'postgres') {
      await sql`create or replace function cx_notify_events() returns trigger language plpgsql as $$
        begin
          perform pg_notify('cx_events', written.domain_id) from (select distinct domain_id from inserted) as written;
          return null;
        end $$`.execute(db);
      await sql`create trigger cx_events_notify after insert on cx_events
        referencing new table as inserted for each statement execute function cx_notify_events()`.execute(db);
    }
  },

  async down(db: Kysely<any>, dialect: Dialect): Promise<void> {
    if (dialect === 'postgres') {
      await sql`drop trigger if exists cx_events_notify on cx_events`.execute(db);
      await sql`drop function if exists cx_notify_events()`.execute(db);
    }
    await db.schema.dropTable('cx_webhook_attempts').execute();
    await db.schema.dropTable('cx_webhook_endpoints').execute();
  },
};

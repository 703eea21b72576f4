import type { Kysely } from 'kysely';
import type { DialectMigration } from './dialect-migration.js';

// Frozen in time: this file imports nothing of today's schema code (types are literal SQL).

/**
 * Backups for audits (R45, R46): each job keeps its filter (`filter_from`, `filter_to`,
 * `filter_account_ids` as a JSON array), its `format` (`csv` by default), its point in time
 * (`watermark`, the domain's last event `seq` when a runner first took it) and its progress
 * (`rows_done`, `rows_total`). Jobs made before read as whole-history CSV backups; a `pending`
 * one gets its watermark when it runs. One `ALTER TABLE` per column: SQLite adds one at a time.
 */
export const backupAuditMigration: DialectMigration = {
  async up(db: Kysely<any>, dialect: 'sqlite' | 'postgres' | 'mysql'): Promise<void> {
    const integer64 = dialect === 'sqlite' ? 'integer' : 'bigint';
    const add = (build: (table: ReturnType<Kysely<any>['schema']['alterTable']>) => { execute(): Promise<void> }) =>
      build(db.schema.alterTable('cx_backup_jobs')).execute();
    await add((table) => table.addColumn('filter_from', integer64));
    await add((table) => table.addColumn('filter_to', integer64));
    await add((table) => table.addColumn('filter_account_ids', 'text'));
    await add((table) => table.addColumn('format', 'varchar(16)', (column) => column.notNull().defaultTo('csv')));
    await add((table) => table.addColumn('watermark', integer64));
    await add((table) => table.addColumn('rows_done', integer64, (column) => column.notNull().defaultTo(0)));
    await add((table) => table.addColumn('rows_total', integer64));
  },

  async down(db: Kysely<any>): Promise<void> {
    for (const column of ['rows_total', 'rows_done', 'watermark', 'format', 'filter_account_ids', 'filter_to', 'filter_from']) {
      await db.schema.alterTable('cx_backup_jobs').dropColumn(column).execute();
    }
  },
};

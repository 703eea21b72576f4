import type { Kysely } from 'kysely';
import type { Store } from '../../src/ports/store.js';
import { appendBackupChunk, deleteBackupChunks, readBackupChunks } from './backup-chunks.js';
import { listExpiredBackupJobs, listRunnableBackupJobs } from './backup-job-queues.js';
import type { CxDatabase } from './cx-database.js';
import { exportHistoryRows } from './history-export.js';
import { detectDialect, isSqlDialectName, sqlCapabilities, type SqlDialectName } from './sql-dialect.js';
import { transactionRunner } from './transaction-runner.js';

/**
 * Options of {@link createSqlStore}.
 *
 * @category Stores
 */
export type SqlStoreOptions = {
  /**
   * Which database the Kysely instance talks to (PGlite is `postgres`). Default: read from
   * the instance's dialect adapter, which works for Kysely's own SQLite, PostgreSQL, PGlite
   * and MySQL dialects and for dialects built on their adapters.
   */
  dialect?: SqlDialectName;
};

/**
 * Opens a {@link Store} on your own Kysely instance. The schema must be migrated first
 * ({@link migrateCxSchema}); the store does not close `db` — you do.
 *
 * Concurrency: write transactions of one domain are serialised (a row lock on the domain in
 * `cx_domains` on PostgreSQL and MySQL; the database write lock and an in-process queue on
 * SQLite); unique indexes back the ID and name rules across domains; deadlocks and
 * serialization failures are retried up to 5 times. `transaction` may therefore run `work`
 * more than once. Calls on SQLite are queued on the one connection; do not iterate
 * `exportHistory` or `readBackupChunks`, nor call the backup chunk methods, from inside
 * `transaction`'s work on SQLite (they would wait for it).
 *
 * Instants are stored as epoch milliseconds in 64-bit integer columns on every database:
 * exact to the millisecond, ordered the same everywhere, no time-zone settings involved.
 *
 * @example
 * ```ts
 * import { Kysely, PostgresDialect } from 'kysely';
 * import pg from 'pg';
 * import { createSqlStore, migrateCxSchema, type CxDatabase } from 'cx-accounts/sql';
 *
 * const db = new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString }) }) });
 * (await migrateCxSchema(db)).match(() => {}, (error) => { throw new Error(error.message); });
 * const store = createSqlStore(db); // the dialect is read from db's adapter
 * ```
 *
 * @category Stores
 */
export function createSqlStore(db: Kysely<CxDatabase>, options: SqlStoreOptions = {}): Store {
  const dialect = options?.dialect ?? detectDialect(db);
  if (!isSqlDialectName(dialect)) {
    throw new TypeError(
      options?.dialect === undefined
        ? "createSqlStore: cannot tell the database from this Kysely instance's adapter; pass { dialect: 'sqlite' | 'postgres' | 'mysql' }"
        : `createSqlStore: dialect must be 'sqlite', 'postgres' or 'mysql', got ${String(options.dialect)}`,
    );
  }
  const caps = sqlCapabilities(dialect);
  // The store reads rows by their column names: plugins of the caller's instance (such as
  // CamelCasePlugin) must not rename them.
  db = db.withoutPlugins();
  const { transaction, exclusive } = transactionRunner(db, caps);
  return {
    transaction,
    exportHistory: (domainId) => exportHistoryRows(db, exclusive, domainId),
    appendBackupChunk: (domainId, fileId, seq, data) => appendBackupChunk(db, exclusive, domainId, fileId, seq, data),
    readBackupChunks: (domainId, fileId) => readBackupChunks(db, exclusive, domainId, fileId),
    deleteBackupChunks: (domainId, fileId) => deleteBackupChunks(db, exclusive, domainId, fileId),
    listRunnableBackupJobs: (staleBefore, limit) => listRunnableBackupJobs(db, exclusive, staleBefore, limit),
    listExpiredBackupJobs: (before, limit) => listExpiredBackupJobs(db, exclusive, before, limit),
  };
}

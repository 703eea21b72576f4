import type { Kysely } from 'kysely';
import { err, ok } from 'neverthrow';
import { storeFailure } from '../../../src/errors.js';
import type { Store } from '../../../src/ports/store.js';
import { StoreError } from '../../../src/ports/store-error.js';
import { appendBackupChunk, deleteBackupChunks, readBackupChunks } from '../queries/backup-chunks.js';
import { listExpiredBackupJobs, listRunnableBackupJobs } from '../queries/backup-job-queues.js';
import type { CxDatabase } from '../cx-database.js';
import { DEFAULT_LOCK_TIMEOUT_MS, detectDialect, isLockTimeout, isSqlDialectName, sqlCapabilities, type SqlDialectName } from '../sql-dialect.js';
import { SqlStoreTransaction } from './sql-store-transaction.js';
import { transactionRunner } from './transaction-runner.js';
import { listDueWebhookEndpoints } from '../queries/webhook-queries.js';
import { sqlEventWatch, type EventListener, type SqlEventWatch } from './event-watch.js';

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
  /**
   * How long a write waits for its domain's lock, in ms (default 5,000; R49). A write that
   * cannot take it in time fails with `store_failure` (`outcome: 'rolled_back'`) instead of
   * waiting on: SQLite's `busy_timeout`; PostgreSQL's `lock_timeout` and `statement_timeout`
   * local to each write transaction; MySQL/MariaDB's
   * `innodb_lock_wait_timeout` and `lock_wait_timeout` of the session, in whole seconds (at
   * least 1).
   */
  lockTimeoutMs?: number;
  /**
   * The database as OpenTelemetry's `db.system.name` names it, put on each operation's span
   * ({@link Store.databaseSystem}). Default: `sqlite` or `postgresql` from the dialect; none
   * for `mysql`, which may be MySQL or MariaDB — pass `'mysql'` or `'mariadb'`.
   */
  databaseSystem?: string;
};

/** `db.system.name` of each dialect, where the dialect alone tells it. */
const DATABASE_SYSTEMS: Record<SqlDialectName, string | undefined> = { sqlite: 'sqlite', postgres: 'postgresql', mysql: undefined };

/**
 * Opens a {@link Store} on your own Kysely instance. The schema must be migrated first
 * ({@link migrateCxSchema}); the store does not close `db` — you do.
 *
 * Concurrency: write transactions of one domain are serialised (an update of the domain's
 * `cx_domains` row on PostgreSQL and MySQL, which also holds across Galera nodes; the
 * database write lock and an in-process queue on SQLite); unique indexes back the ID and
 * name rules across domains; deadlocks and serialization failures are retried up to 5 times
 * (a MySQL deadlock, Galera's certification conflict, up to 16). `transaction` may
 * therefore run `work` more than once. Calls on SQLite are queued on the one connection; do
 * not iterate `readBackupChunks`, nor call the backup chunk methods, from
 * inside `transaction`'s work on SQLite (they would wait for it).
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
  return buildSqlStore(db, options, null).store;
}

/**
 * {@link createSqlStore}, with the LISTEN connection of an opener that owns the server's
 * connection settings (PostgreSQL), and the event watch for the opener to close with the store.
 */
export function buildSqlStore(db: Kysely<CxDatabase>, options: SqlStoreOptions, listener: EventListener | null): { store: Store; events: SqlEventWatch } {
  const dialect = options?.dialect ?? detectDialect(db);
  if (!isSqlDialectName(dialect)) {
    throw new TypeError(
      options?.dialect === undefined
        ? "createSqlStore: cannot tell the database from this Kysely instance's adapter; pass { dialect: 'sqlite' | 'postgres' | 'mysql' }"
        : `createSqlStore: dialect must be 'sqlite', 'postgres' or 'mysql', got ${String(options.dialect)}`,
    );
  }
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!isLockTimeout(lockTimeoutMs)) {
    throw new TypeError(`createSqlStore: lockTimeoutMs must be a whole number of milliseconds from 1 to 2147483647, got ${String(lockTimeoutMs)}`);
  }
  const caps = sqlCapabilities(dialect);
  // The store reads rows by their column names: plugins of the caller's instance (such as
  // CamelCasePlugin) must not rename them.
  db = db.withoutPlugins();
  const { transaction, exclusive } = transactionRunner(db, caps, { lockTimeoutMs });
  const events = sqlEventWatch(db, exclusive, listener);
  const databaseSystem = options.databaseSystem ?? DATABASE_SYSTEMS[dialect];
  const store: Store = {
    ...(databaseSystem === undefined ? {} : { databaseSystem }),
    // A committed write of this process that appended events wakes the domain's subscribers at
    // once (R52); one that did not (a delivery runner's lease and attempt records, several per
    // delivery) wakes nobody: each wake-up costs every subscriber of the domain a read.
    transaction: (domainId, mode, work) => {
      if (mode !== 'write') return transaction(domainId, mode, work);
      let appended = false;
      return transaction(domainId, mode, async (tx) => {
        const result = await work(tx);
        // The last run of `work` is the one that commits (a deadlock reruns it).
        appended = tx instanceof SqlStoreTransaction && tx.appendedEvents > 0;
        return result;
      }).then((result) => {
        if (result.isOk() && appended) events.committed(domainId);
        return result;
      });
    },
    watchEvents: (domainId, watcher) => events.watch(domainId, watcher),
    appendBackupChunk: (domainId, fileId, seq, data, lease) => appendBackupChunk(db, exclusive, caps.domainLock === 'row', domainId, fileId, seq, data, lease),
    readBackupChunks: (domainId, fileId) => readBackupChunks(db, exclusive, domainId, fileId),
    deleteBackupChunks: (domainId, fileId) => deleteBackupChunks(db, exclusive, domainId, fileId),
    listRunnableBackupJobs: (staleBefore, limit) => listRunnableBackupJobs(db, exclusive, staleBefore, limit),
    listExpiredBackupJobs: (before, limit) => listExpiredBackupJobs(db, exclusive, before, limit),
    listDueWebhookEndpoints: (now, limit) => listDueWebhookEndpoints(db, exclusive, now, limit),
    // Without the domain's lock (the record guards the endpoint's row itself, see
    // recordHeldDelivery), but with the lock waits bounded and a deadlock run again, as any write.
    recordWebhookDelivery: async (domainId, endpointId, leaseToken, state, attempt) => {
      const recorded = await transaction(
        domainId,
        'write',
        async (tx) => (tx instanceof SqlStoreTransaction ? ok(await tx.recordWebhookDelivery(endpointId, leaseToken, state, attempt)) : err(storeFailure(new Error('not a SQL transaction')))),
        { lockDomain: false },
      );
      if (recorded.isOk()) return recorded.value;
      const failure = recorded.error;
      throw failure.code === 'store_failure' ? new StoreError(failure.message, { cause: failure.cause, outcome: failure.outcome }) : new StoreError(failure.message, { cause: failure });
    },
  };
  return { store, events };
}

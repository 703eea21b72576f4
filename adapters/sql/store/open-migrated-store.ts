import { sql, type Kysely } from 'kysely';
import type { Store } from '../../../src/ports/store.js';
import type { CxDatabase } from '../cx-database.js';
import type { SqlStoreOptions } from './sql-store.js';
import { migrateCxSchema } from '../migrations/cx-migrations.js';
import type { SqlDialectName } from '../sql-dialect.js';
import { settleBeforeClose } from './settling-close.js';
import { buildSqlStore } from './sql-store.js';
import type { EventListener, SqlEventWatch } from './event-watch.js';

/**
 * A store an opener made, with the connection (pool) it owns.
 *
 * @category Stores
 */
export type ClosableStore = Store & {
  /**
   * Closes the connection or pool the opener made, once every call in flight has settled
   * (R49). Later calls answer `store_failure`.
   */
  close(): Promise<void>;
};

/**
 * Options every opener takes.
 *
 * @category Stores
 */
export type SqlOpenOptions = {
  /**
   * How long a write waits for its domain's lock, in ms (default 5,000; R49); then it fails
   * with `store_failure` (`outcome: 'rolled_back'`). See {@link SqlStoreOptions.lockTimeoutMs}.
   */
  lockTimeoutMs?: number;
  /**
   * OpenTelemetry's `db.system.name` for the spans ({@link SqlStoreOptions.databaseSystem}).
   * Default: from the dialect, and for MySQL from the server's `version()` (`mariadb` or `mysql`).
   */
  databaseSystem?: string;
};

/**
 * Migrates the schema and opens the store; on failure destroys `db` and rejects with an
 * `Error` saying which database could not be opened and why (the driver's error as `cause`).
 *
 * @category Stores
 */
export async function openMigratedStore(
  db: Kysely<CxDatabase>,
  dialect: SqlDialectName,
  what: string,
  options: SqlOpenOptions = {},
  listener: EventListener | null = null,
): Promise<ClosableStore> {
  let store;
  let events: SqlEventWatch;
  try {
    // Built first: it checks the options before anything touches the database.
    ({ store, events } = buildSqlStore(
      db,
      {
        dialect,
        ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}),
        ...(options.databaseSystem !== undefined ? { databaseSystem: options.databaseSystem } : {}),
      },
      listener,
    ));
  } catch (cause) {
    await db.destroy().catch(() => undefined);
    throw openFailure(what, cause);
  }
  const migrated = await migrateCxSchema(db, dialect);
  if (migrated.isErr()) {
    await db.destroy().catch(() => undefined);
    const cause = migrated.error.code === 'store_failure' ? migrated.error.cause : migrated.error;
    throw new Error(`cx-accounts: cannot open ${what}: ${migrated.error.message}`, { cause });
  }
  if (store.databaseSystem === undefined && dialect === 'mysql') {
    // The dialect cannot tell MariaDB from MySQL; the server's version string can.
    const version = await sql<{ version: string }>`select version() as version`.execute(db).then(
      (answer) => String(answer.rows[0]?.version ?? ''),
      () => '',
    );
    if (version !== '') store = { ...store, databaseSystem: /mariadb/i.test(version) ? 'mariadb' : 'mysql' };
  }
  return settleBeforeClose(store, () => {
    // Subscribers end (R52) and the LISTEN connection or poller stops before the pool does.
    events.close();
    return db.destroy();
  });
}

/**
 * Rejection of an opener that failed before it could reach the database.
 *
 * @category Stores
 */
export function openFailure(what: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(`cx-accounts: cannot open ${what}: ${detail}`, { cause });
}

import type { Kysely } from 'kysely';
import type { Store } from '../../src/ports/store.js';
import type { CxDatabase } from './cx-database.js';
import { migrateCxSchema } from './cx-migrations.js';
import type { SqlDialectName } from './sql-dialect.js';
import { createSqlStore } from './sql-store.js';

/**
 * A store an opener made, with the connection (pool) it owns.
 *
 * @category Stores
 */
export type ClosableStore = Store & {
  /** Closes the connection or pool the opener made. Later calls answer `store_failure`. */
  close(): Promise<void>;
};

/**
 * Migrates the schema and opens the store; on failure destroys `db` and rejects with an
 * `Error` saying which database could not be opened and why (the driver's error as `cause`).
 *
 * @category Stores
 */
export async function openMigratedStore(db: Kysely<CxDatabase>, dialect: SqlDialectName, what: string): Promise<ClosableStore> {
  const migrated = await migrateCxSchema(db);
  if (migrated.isErr()) {
    await db.destroy().catch(() => undefined);
    const cause = migrated.error.code === 'store_failure' ? migrated.error.cause : migrated.error;
    throw new Error(`cx-accounts: cannot open ${what}: ${migrated.error.message}`, { cause });
  }
  const store = createSqlStore(db, { dialect });
  let closed: Promise<void> | null = null;
  return {
    ...store,
    close: () => (closed ??= db.destroy()),
  };
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

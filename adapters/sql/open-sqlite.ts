import { Kysely, SqliteDialect } from 'kysely';
import type { CxDatabase } from './cx-database.js';
import { openFailure, openMigratedStore, type ClosableStore } from './open-migrated-store.js';
import { cachingSqliteDatabase } from './sqlite-statement-cache.js';

/** How long a write waits for another process's write lock on a SQLite file, in ms. */
const BUSY_TIMEOUT_MILLIS = 5000;

/**
 * Opens (creating it if needed) a SQLite database with better-sqlite3, migrates it and
 * returns a store on it. `':memory:'` gives a private in-memory database. A file is put in
 * WAL mode with `synchronous = NORMAL` (durable across app crashes; the last commits may be
 * lost on power loss) and a 5 s `busy_timeout`, so several processes may share it.
 *
 * Rejects — only here, at setup — with an `Error` saying why when the file cannot be opened
 * or migrated (better-sqlite3 must be installed). Every operation afterwards answers a
 * `Result`. `close()` closes the database.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { openSqlite } from 'cx-accounts/sql';
 *
 * const store = await openSqlite('./cx-accounts.db');
 * const cx = createCxAccounts({ store, directory, contactUrlBase: 'https://talk.example.com/add/' });
 * // …
 * await store.close();
 * ```
 *
 * @category Stores
 */
export async function openSqlite(filename: string): Promise<ClosableStore> {
  const what = `SQLite database ${JSON.stringify(filename)}`;
  let database;
  try {
    const { default: Database } = await import('better-sqlite3');
    database = new Database(filename);
    if (filename !== ':memory:' && filename !== '') {
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
    }
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MILLIS}`);
  } catch (cause) {
    database?.close();
    throw openFailure(what, cause);
  }
  const db = new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: cachingSqliteDatabase(database) }) });
  return openMigratedStore(db, 'sqlite', what);
}

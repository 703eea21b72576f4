import { Kysely, SqliteDialect } from 'kysely';
import type { CxDatabase } from './cx-database.js';
import { CX_MIGRATION_TABLE, cxMigrations, migrateCxSchema } from './cx-migrations.js';
import { openFailure, openMigratedStore, type ClosableStore, type SqlOpenOptions } from './open-migrated-store.js';
import { DEFAULT_LOCK_TIMEOUT_MS, isLockTimeout } from './sql-dialect.js';
import { sharedSqliteStore, sqliteFileKey } from './sqlite-file-registry.js';
import { cachingSqliteDatabase } from './sqlite-statement-cache.js';

/**
 * Opens (creating it if needed) a SQLite database with better-sqlite3, migrates it and
 * returns a store on it. `':memory:'` gives a private in-memory database. A file is put in
 * WAL mode with `synchronous = NORMAL` (durable across app crashes; the last commits may be
 * lost on power loss), so several processes may share it.
 *
 * - `options.lockTimeoutMs` (default 5,000) is the `busy_timeout`: a write that cannot take the
 *   file's write lock within it fails with `store_failure` (R49).
 * - Several processes may open a new file at the same moment: the migrations run under the
 *   file's write lock (`BEGIN IMMEDIATE`), so one process makes the tables and the others
 *   find them made.
 * - Opening a file this process already has open gives a handle on the same connection (found
 *   by real path, through symbolic links): better-sqlite3 waits for locks synchronously, so two
 *   connections of one process on one file would freeze it. Each handle's `close()` settles its
 *   own calls; the last one closes the file. The first opener's options hold.
 *
 * Rejects — only here, at setup — with an `Error` saying why when the file cannot be opened
 * or migrated (better-sqlite3 must be installed). Every operation afterwards answers a
 * `Result`. `close()` closes the database once the calls in flight have settled.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { openSqlite } from 'cx-accounts/sql';
 *
 * const store = await openSqlite('./cx-accounts.db', { lockTimeoutMs: 2000 });
 * const cx = createCxAccounts({ store, directory, contactUrlBase: 'https://talk.example.com/add/' });
 * // …
 * await store.close();
 * ```
 *
 * @category Stores
 */
export async function openSqlite(filename: string, options: SqlOpenOptions = {}): Promise<ClosableStore> {
  const what = `SQLite database ${JSON.stringify(filename)}`;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (typeof filename !== 'string') throw openFailure(what, new TypeError('filename must be a string'));
  if (!isLockTimeout(lockTimeoutMs)) {
    throw openFailure(what, new TypeError(`lockTimeoutMs must be a whole number of milliseconds from 1 to 2147483647, got ${String(lockTimeoutMs)}`));
  }
  if (filename === ':memory:' || filename === '') return openConnection(filename, lockTimeoutMs, what);
  return sharedSqliteStore(sqliteFileKey(filename), () => openConnection(filename, lockTimeoutMs, what));
}

async function openConnection(filename: string, lockTimeoutMs: number, what: string): Promise<ClosableStore> {
  const inFile = filename !== ':memory:' && filename !== '';
  let database;
  try {
    const { default: Database } = await import('better-sqlite3');
    database = new Database(filename);
    // First, so that the switch to WAL below waits for other processes opening the file too.
    database.pragma(`busy_timeout = ${lockTimeoutMs}`);
    // R42: deleted rows are overwritten with zeros, so an erased name or message leaves no
    // readable copy in free space (the write benchmarks measure the cost, see README).
    database.pragma('secure_delete = ON');
    if (inFile) {
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
    }
  } catch (cause) {
    database?.close();
    throw openFailure(what, cause);
  }
  const db = new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: cachingSqliteDatabase(database) }) });
  if (inFile && needsMigration(database)) {
    // Kysely's migrator takes no lock on SQLite: two processes would both create the tables.
    // Under the write lock, the first one migrates; the others wait, then find nothing to do.
    try {
      database.exec('begin immediate');
      const migrated = await migrateCxSchema(db);
      database.exec(migrated.isOk() ? 'commit' : 'rollback');
    } catch (cause) {
      if (database.inTransaction) database.exec('rollback');
      await db.destroy().catch(() => undefined);
      throw openFailure(what, cause);
    }
  }
  return openMigratedStore(db, 'sqlite', what, { lockTimeoutMs });
}

/**
 * Whether the file lacks a migration, read without taking the write lock: a file already
 * migrated opens without waiting for another process's write.
 */
function needsMigration(database: { prepare(sql: string): { all(): unknown[] } }): boolean {
  try {
    const rows = database.prepare(`select name from ${CX_MIGRATION_TABLE}`).all() as { name: string }[];
    const done = new Set(rows.map((row) => row.name));
    return !Object.keys(cxMigrations).every((name) => done.has(name));
  } catch {
    return true;
  }
}

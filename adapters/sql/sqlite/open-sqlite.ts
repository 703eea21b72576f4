import { Kysely, SqliteDialect } from 'kysely';
import type { CxDatabase } from '../cx-database.js';
import { CX_MIGRATION_TABLE, cxMigrations, migrateCxSchema } from '../migrations/cx-migrations.js';
import { openFailure, openMigratedStore, type ClosableStore, type SqlOpenOptions } from '../store/open-migrated-store.js';
import { DEFAULT_LOCK_TIMEOUT_MS, isLockTimeout } from '../sql-dialect.js';
import { sharedSqliteStore, sqliteFileKey } from './sqlite-file-registry.js';
import { cachingSqliteDatabase } from './sqlite-statement-cache.js';
import { retryWhileBusy } from '../store/busy-wait.js';
import { loadSqliteDriver } from './drivers/open-sqlite-database.js';
import { isSqliteDriverName, SQLITE_DRIVERS, type SqliteDriverDatabase, type SqliteDriverName } from './drivers/sqlite-driver.js';

/**
 * Options of {@link openSqlite}.
 *
 * @category Stores
 */
export type SqliteOpenOptions = SqlOpenOptions & {
  /**
   * The SQLite driver (R57). Default: better-sqlite3 where it is installed and loads, else the
   * runtime's own SQLite — `node:sqlite` on Node ≥ 22.5 and Deno, `bun:sqlite` on Bun. Naming
   * one uses that one or fails to open.
   *
   * @example
   * ```ts
   * import { openSqlite } from 'cx-accounts/sql';
   *
   * // On Node ≥ 22.5 or Deno, the runtime's own SQLite even where better-sqlite3 is installed.
   * const store = await openSqlite('./cx-accounts.db', { driver: 'node:sqlite' });
   * ```
   */
  driver?: SqliteDriverName;
};

/**
 * Opens (creating it if needed) a SQLite database, migrates it and returns a store on it
 * (R57): on better-sqlite3 where it is installed and loads, else on the runtime's own SQLite
 * (`node:sqlite` on Node ≥ 22.5 and Deno, `bun:sqlite` on Bun); `options.driver` forces one.
 * Each driver is loaded with a dynamic `import()` when the first database is opened, so none
 * is needed to bundle or load the package. `':memory:'` gives a private in-memory database. A file is put in
 * WAL mode with `synchronous = NORMAL` (durable across app crashes; the last commits may be
 * lost on power loss), so several processes may share it.
 *
 * - `options.lockTimeoutMs` (default 5,000): a write that cannot take the file's write lock
 *   within it fails with `store_failure` (R49). It waits on timers, not inside the driver
 *   (`busy_timeout` is 0), so the host's timers and I/O run while it waits.
 * - Several processes may open a new file at the same moment: the migrations run under the
 *   file's write lock (`BEGIN IMMEDIATE`), so one process makes the tables and the others
 *   find them made.
 * - Opening a file this process already has open gives a handle on the same connection (found
 *   by real path, through symbolic links): better-sqlite3 waits for locks synchronously, so two
 *   connections of one process on one file would freeze it. Each handle's `close()` settles its
 *   own calls; the last one closes the file. The first opener's options hold.
 *
 * Rejects — only here, at setup — with an `Error` saying why when the file cannot be opened
 * or migrated, or when no driver loads. Every operation afterwards answers a
 * `Result`. `close()` closes the database once the calls in flight have settled.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { openSqlite } from 'cx-accounts/sql';
 *
 * const store = await openSqlite('./cx-accounts.db', { lockTimeoutMs: 2000 });
 * const onNodeSqlite = await openSqlite(':memory:', { driver: 'node:sqlite' }); // Node ≥ 22.5 or Deno
 * const cx = createCxAccounts({ store, directory, contactUrlBase: 'https://talk.example.com/add/' });
 * // …
 * await store.close();
 * await onNodeSqlite.close();
 * ```
 *
 * @category Stores
 */
export async function openSqlite(filename: string, options: SqliteOpenOptions = {}): Promise<ClosableStore> {
  const what = `SQLite database ${JSON.stringify(filename)}`;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (typeof filename !== 'string') throw openFailure(what, new TypeError('filename must be a string'));
  if (!isLockTimeout(lockTimeoutMs)) {
    throw openFailure(what, new TypeError(`lockTimeoutMs must be a whole number of milliseconds from 1 to 2147483647, got ${String(lockTimeoutMs)}`));
  }
  const driver = options.driver;
  if (driver !== undefined && !isSqliteDriverName(driver)) {
    throw openFailure(what, new TypeError(`driver must be one of ${SQLITE_DRIVERS.map((name) => `'${name}'`).join(', ')}, got ${String(driver)}`));
  }
  if (filename === ':memory:' || filename === '') return openConnection(filename, lockTimeoutMs, what, driver);
  return sharedSqliteStore(sqliteFileKey(filename), () => openConnection(filename, lockTimeoutMs, what, driver));
}

async function openConnection(filename: string, lockTimeoutMs: number, what: string, driver: SqliteDriverName | undefined): Promise<ClosableStore> {
  const inFile = filename !== ':memory:' && filename !== '';
  const startedAt = performance.now();
  let database;
  try {
    const loaded = await loadSqliteDriver(driver);
    database = loaded.open(filename);
    // A locked file answers SQLITE_BUSY at once; waits are timers here (R49).
    database.exec('pragma busy_timeout = 0');
    // R42: deleted rows are overwritten with zeros, so an erased name or message leaves no
    // readable copy in free space (the write benchmarks measure the cost, see README).
    database.exec('pragma secure_delete = ON');
    if (inFile) {
      // Waits for another process switching the same new file to WAL.
      const opened = database;
      await retryWhileBusy(() => opened.exec('pragma journal_mode = WAL'), lockTimeoutMs, startedAt);
      database.exec('pragma synchronous = NORMAL');
    }
  } catch (cause) {
    database?.close();
    throw openFailure(what, cause);
  }
  const db = new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: cachingSqliteDatabase(database) }) });
  if (inFile && needsMigration(database)) {
    // Kysely's migrator takes no lock on SQLite: two processes would both create the tables.
    // Under the write lock, the first one migrates; the others wait, then find nothing to do.
    const opened = database;
    let began = false;
    try {
      await retryWhileBusy(() => opened.exec('begin immediate'), lockTimeoutMs, startedAt);
      began = true;
      const migrated = await migrateCxSchema(db, 'sqlite');
      database.exec(migrated.isOk() ? 'commit' : 'rollback');
    } catch (cause) {
      if (began) {
        try {
          database.exec('rollback');
        } catch {
          // Rolled back already.
        }
      }
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
function needsMigration(database: SqliteDriverDatabase): boolean {
  try {
    const rows = database.prepare(`select name from ${CX_MIGRATION_TABLE}`).all([]) as { name: string }[];
    const done = new Set(rows.map((row) => row.name));
    return !Object.keys(cxMigrations).every((name) => done.has(name));
  } catch {
    return true;
  }
}

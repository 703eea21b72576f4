import { statSync } from 'node:fs';
import type { ClosableStore } from '../adapters/sql/store/open-migrated-store.js';

/** Where a database is, as the operator wrote it on the command line. */
export type DatabaseTarget =
  | { kind: 'sqlite'; filename: string }
  | { kind: 'postgres'; connectionString: string }
  | { kind: 'mysql'; uri: string };

/** What `--url` accepts, for the usage and the messages. */
export const DATABASE_URL_FORMS = 'a file path or sqlite:<file> (SQLite), postgres://… (PostgreSQL), mysql://… or mariadb://… (MySQL, MariaDB)';

/**
 * The environment variables read, in this order, when `--url` is not given (an empty one
 * counts as not set).
 */
export const DATABASE_URL_VARIABLES = ['CX_DATABASE_URL', 'DATABASE_URL'] as const;

/**
 * Reads `--url`: a PostgreSQL URL (`postgres://`, `postgresql://`), a MySQL/MariaDB URL
 * (`mysql://`, `mariadb://`), an SQLite URL (`sqlite:relative.db`, `sqlite:///absolute.db`,
 * `sqlite::memory:`) or a plain file path (an SQLite file), taken as given. Answers why not,
 * as a string, for anything else.
 *
 * @example
 * ```ts
 * databaseTarget('sqlite:///var/lib/cx.db'); // → { kind: 'sqlite', filename: '/var/lib/cx.db' }
 * databaseTarget('redis://x');               // → "unsupported database URL scheme 'redis:' …"
 * ```
 */
export function databaseTarget(url: string): DatabaseTarget | string {
  if (url.trim() === '') return 'the database URL is empty';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || /^[a-z]$/i.test(scheme)) return { kind: 'sqlite', filename: url }; // a path (or a drive letter)
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', connectionString: url };
  if (scheme === 'mysql' || scheme === 'mariadb') return { kind: 'mysql', uri: url.replace(/^mariadb:/i, 'mysql:') };
  if (scheme === 'sqlite') {
    const rest = url.slice('sqlite:'.length);
    const filename = rest.startsWith('//') ? rest.slice(2) : rest; // sqlite:///abs → /abs
    return filename === '' ? 'an sqlite: URL needs a file name, e.g. sqlite:cx.db or sqlite:///var/lib/cx.db' : { kind: 'sqlite', filename };
  }
  return `unsupported database URL scheme '${scheme}:'; use ${DATABASE_URL_FORMS}`;
}

/**
 * Why a command that must not create a database cannot use this target, or `null`. Only
 * SQLite creates a database on opening: its file must exist and hold something (an empty
 * file would become a new database). A server's database is never created by connecting, so
 * a wrong name fails when it is opened. `kind` says whether the command line is wrong (an
 * in-memory database is always empty) or the file system holds no database there.
 *
 * @example
 * ```ts
 * missingDatabase({ kind: 'sqlite', filename: './typo.db' }); // → { kind: 'missing', message: 'no SQLite database at "./typo.db": …' }
 * ```
 */
export function missingDatabase(target: DatabaseTarget): { kind: 'usage' | 'missing'; message: string } | null {
  if (target.kind !== 'sqlite') return null;
  if (target.filename === ':memory:') return { kind: 'usage', message: 'an in-memory SQLite database (:memory:) is always empty: give the file of an existing database' };
  const where = `no SQLite database at ${JSON.stringify(target.filename)}`;
  const hint = 'check the path; only `cx-accounts migrate` creates a database';
  let stats;
  try {
    stats = statSync(target.filename);
  } catch (thrown) {
    const code = thrown instanceof Error && 'code' in thrown ? String(thrown.code) : '';
    return { kind: 'missing', message: `${where}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'the file does not exist' : `it cannot be read (${code || String(thrown)})`}; ${hint}` };
  }
  if (!stats.isFile()) return { kind: 'missing', message: `${where}: it is not a file; ${hint}` };
  if (stats.size === 0) return { kind: 'missing', message: `${where}: the file is empty; ${hint}` };
  return null;
}

/**
 * Why an existing SQLite file is no cx-accounts database (it lacks the migrations table), or
 * `null`: a command that must not create one would otherwise make the tables in another
 * app's database. Read through a read-only connection, closed before the store opens the file.
 * Answers `null` when it cannot tell (better-sqlite3 missing, not a database, locked): the
 * opener then says why it cannot open the file.
 *
 * @example
 * ```ts
 * const problem = await notCxSqlite('./other-app.db'); // → 'the SQLite database "./other-app.db" has no cx-accounts tables; …'
 * ```
 */
export async function notCxSqlite(filename: string): Promise<string | null> {
  let database: import('better-sqlite3').Database | undefined;
  try {
    const [{ default: Database }, { CX_MIGRATION_TABLE }] = await Promise.all([import('better-sqlite3'), import('../adapters/sql/migrations/cx-migrations.js')]);
    database = new Database(filename, { readonly: true, fileMustExist: true });
    const found = database.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(CX_MIGRATION_TABLE);
    if (found !== undefined) return null;
    return `the SQLite database ${JSON.stringify(filename)} has no cx-accounts tables; check the path, or run \`cx-accounts migrate\` to create them`;
  } catch {
    return null;
  } finally {
    database?.close();
  }
}

/**
 * Opens the store of a target (each opener runs the migrations). Rejects with the opener's
 * `Error` (which names the database and the reason) when it cannot.
 */
export async function openTarget(target: DatabaseTarget): Promise<ClosableStore> {
  const sql = await import('../adapters/sql/index.js');
  switch (target.kind) {
    case 'sqlite':
      return sql.openSqlite(target.filename);
    case 'postgres':
      return sql.openPostgres({ connectionString: target.connectionString });
    case 'mysql':
      return sql.openMysql({ uri: target.uri });
  }
}

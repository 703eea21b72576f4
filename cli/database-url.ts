import type { ClosableStore } from '../adapters/sql/open-migrated-store.js';

/** Where a database is, as the operator wrote it on the command line. */
export type DatabaseTarget =
  | { kind: 'sqlite'; filename: string }
  | { kind: 'postgres'; connectionString: string }
  | { kind: 'mysql'; uri: string };

/**
 * Reads `--url`: a PostgreSQL URL (`postgres://`, `postgresql://`), a MySQL/MariaDB URL
 * (`mysql://`, `mariadb://`), an SQLite URL (`sqlite:relative.db`, `sqlite:///absolute.db`,
 * `sqlite::memory:`) or a plain file path (an SQLite file). Answers why not, as a string,
 * for anything else.
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
  return `unsupported database URL scheme '${scheme}:'; use a file path, sqlite:, postgres:// or mysql://`;
}

/**
 * The URL with its password replaced by `***`, for messages and logs.
 *
 * @example
 * ```ts
 * redactedUrl('postgres://app:secret@db/cx'); // → 'postgres://app:***@db/cx'
 * ```
 */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
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

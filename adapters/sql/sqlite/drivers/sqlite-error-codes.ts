/**
 * better-sqlite3 names SQLite's result codes in `error.code` (`SQLITE_BUSY`); `node:sqlite`
 * gives the number in `errcode` (Node) or only the message (Deno). The store reads names
 * (`driver-errors.ts`), so errors of `node:sqlite` are renamed here.
 *
 * @module
 */

/** The (extended) result codes the store or a reader of its errors may look for. */
const RESULT_CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'SQLITE_ERROR'],
  [5, 'SQLITE_BUSY'],
  [6, 'SQLITE_LOCKED'],
  [7, 'SQLITE_NOMEM'],
  [8, 'SQLITE_READONLY'],
  [10, 'SQLITE_IOERR'],
  [11, 'SQLITE_CORRUPT'],
  [13, 'SQLITE_FULL'],
  [14, 'SQLITE_CANTOPEN'],
  [19, 'SQLITE_CONSTRAINT'],
  [26, 'SQLITE_NOTADB'],
  [261, 'SQLITE_BUSY_RECOVERY'],
  [275, 'SQLITE_CONSTRAINT_CHECK'],
  [517, 'SQLITE_BUSY_SNAPSHOT'],
  [773, 'SQLITE_BUSY_TIMEOUT'],
  [787, 'SQLITE_CONSTRAINT_FOREIGNKEY'],
  [1299, 'SQLITE_CONSTRAINT_NOTNULL'],
  [1555, 'SQLITE_CONSTRAINT_PRIMARYKEY'],
  [2067, 'SQLITE_CONSTRAINT_UNIQUE'],
]);

/** Messages of SQLite's primary result codes, for errors that carry no number (Deno). */
const MESSAGE_CODES: readonly (readonly [RegExp, string])[] = [
  [/^database is locked/, 'SQLITE_BUSY'],
  [/^database table is locked/, 'SQLITE_LOCKED'],
  [/^UNIQUE constraint failed/, 'SQLITE_CONSTRAINT_UNIQUE'],
  [/constraint failed/, 'SQLITE_CONSTRAINT'],
];

/** An error of a SQLite driver with better-sqlite3's `code` name. */
export type NamedSqliteError = Error & { code: string; errno?: number };

/**
 * The error to throw for a `node:sqlite` error: a new `Error` with the same message, `code`
 * named as better-sqlite3 names it and `errno` the number, the driver's error as `cause`.
 * Anything that is no SQLite error is given back as it is.
 */
export function namedSqliteError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const fields: { code?: unknown; errcode?: unknown } = { code: Reflect.get(error, 'code'), errcode: Reflect.get(error, 'errcode') };
  if (typeof fields.code === 'string' && fields.code.startsWith('SQLITE_')) return error;
  if (fields.code !== undefined && fields.code !== 'ERR_SQLITE_ERROR') return error;
  const errno = typeof fields.errcode === 'number' ? fields.errcode : undefined;
  const code =
    (errno === undefined ? undefined : (RESULT_CODE_NAMES.get(errno) ?? RESULT_CODE_NAMES.get(errno & 0xff))) ??
    MESSAGE_CODES.find(([pattern]) => pattern.test(error.message))?.[1];
  if (code === undefined) return error;
  const named: NamedSqliteError = Object.assign(new Error(error.message, { cause: error }), { code });
  if (errno !== undefined) named.errno = errno;
  return named;
}

/** Runs a driver call, rethrowing its error with better-sqlite3's `code` name. */
export function withNamedErrors<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw namedSqliteError(error);
  }
}

/**
 * Reading driver errors of better-sqlite3, pg, PGlite and mysql2 without depending on their
 * classes: by the `code` / `errno` / `constraint` fields they set and their messages.
 *
 * @module
 */

type DriverErrorFields = { code?: unknown; errno?: unknown; constraint?: unknown; message?: unknown };

function fields(error: unknown): DriverErrorFields {
  return typeof error === 'object' && error !== null ? (error as DriverErrorFields) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Which of the store's unique rules a unique violation broke. */
export type UniqueRule = 'account_id' | 'account_name';

/**
 * The account uniqueness rule a driver error reports as violated, or `null` when the error
 * is something else. Recognised by the driver's unique-violation code (PostgreSQL `23505`,
 * MySQL `ER_DUP_ENTRY` 1062, SQLite `SQLITE_CONSTRAINT_UNIQUE`) and the index name (or, on
 * SQLite, the indexed columns) in the error.
 */
export function violatedUniqueRule(error: unknown): UniqueRule | null {
  const { code, errno, constraint, message } = fields(error);
  const isUnique =
    code === '23505' || code === 'ER_DUP_ENTRY' || errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE';
  if (!isUnique) return null;
  const where = `${text(constraint)} ${text(message)}`;
  if (where.includes('cx_accounts_active_id_unique') || where.includes('cx_accounts.active_id')) return 'account_id';
  if (where.includes('cx_accounts_active_name_unique') || where.includes('cx_accounts.active_name_hash')) return 'account_name';
  return null;
}

/**
 * Whether running the transaction again may succeed: a deadlock or serialization failure
 * (PostgreSQL `40001`, `40P01`; MySQL 1213 deadlock, 1205 lock wait timeout) or a busy
 * SQLite database (another process held the write lock past `busy_timeout`).
 */
export function isRetryableFailure(error: unknown): boolean {
  const { code, errno } = fields(error);
  if (code === '40001' || code === '40P01') return true;
  if (errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') return true;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** A readable one-line description of any thrown value. */
export function describeFailure(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'unreadable error';
  }
}

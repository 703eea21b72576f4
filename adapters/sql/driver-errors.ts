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
 * (PostgreSQL `40001`, `40P01`; MySQL 1213 deadlock — on Galera also a certification
 * conflict at commit —, 1205 lock wait timeout), a Galera node not ready (1047, see
 * {@link isWsrepNotReady}), or a busy SQLite database (another process held the write lock
 * past `busy_timeout`).
 */
export function isRetryableFailure(error: unknown): boolean {
  const { code, errno } = fields(error);
  if (code === '40001' || code === '40P01') return true;
  if (errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') return true;
  if (isWsrepNotReady(error)) return true;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Whether the error is how MySQL/MariaDB reports losing a conflict: `ER_LOCK_DEADLOCK`
 * (1213). On a Galera cluster this is also the answer to a transaction refused by
 * certification at `COMMIT` (another node committed a write to the same rows first) or
 * aborted midway by a replicated write ("brute-force abort"). Under many writers of one
 * domain on several nodes a transaction can lose this way several times in a row, so the
 * runner allows it more attempts than other retryable failures.
 */
export function isConflictAbort(error: unknown): boolean {
  const { code, errno } = fields(error);
  return errno === 1213 || code === 'ER_LOCK_DEADLOCK';
}

/**
 * Whether a Galera node refused the statement because it is not (yet, or no longer) part
 * of the primary component: error 1047 "WSREP has not yet prepared node for application
 * use". Another attempt a moment later may find it synced again.
 */
export function isWsrepNotReady(error: unknown): boolean {
  const { code, errno, message } = fields(error);
  return (errno === 1047 || code === 'ER_UNKNOWN_COM_ERROR') && text(message).includes('WSREP');
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

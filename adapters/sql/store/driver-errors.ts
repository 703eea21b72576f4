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
 * (PostgreSQL `40001`, `40P01`; MySQL 1213 deadlock — on Galera also a certification conflict
 * at commit —), a Galera node not ready (1047, see {@link isWsrepNotReady}), or a SQLite database caught mid-recovery
 * or with a stale snapshot (`SQLITE_BUSY_RECOVERY`, `SQLITE_BUSY_SNAPSHOT`).
 *
 * A lock wait that ran out (MySQL 1205, a plain `SQLITE_BUSY` after `busy_timeout`,
 * PostgreSQL `55P03` after `lock_timeout`) is not retried: the write has waited
 * `lockTimeoutMs` already, and R49 bounds the wait to that.
 */
export function isRetryableFailure(error: unknown): boolean {
  const { code } = fields(error);
  if (code === '40001' || code === '40P01') return true;
  if (fields(error).errno === 1213 || code === 'ER_LOCK_DEADLOCK') return true;
  if (isWsrepNotReady(error)) return true;
  return code === 'SQLITE_BUSY_RECOVERY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/**
 * Whether a failure is a lock wait that ran out (R49): PostgreSQL `55P03` (`lock_timeout`),
 * MySQL 1205 (`innodb_lock_wait_timeout`) or 1205's metadata-lock twin (`lock_wait_timeout`,
 * also 1205), SQLite `SQLITE_BUSY` after `busy_timeout`. Not a statement that ran too long
 * (see {@link isStatementTimeout}).
 */
export function isLockWaitTimeout(error: unknown): boolean {
  const { code, errno } = fields(error);
  return code === '55P03' || errno === 1205 || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_TIMEOUT';
}

/**
 * Whether a statement was cancelled for running too long, or on request: PostgreSQL `57014`
 * (`statement_timeout`, `pg_cancel_backend`), MariaDB 1969 (`max_statement_time`), MySQL 3024
 * (`max_execution_time`). A lock wait only while the domain's lock is taken (PostgreSQL bounds
 * that statement with `statement_timeout` too).
 */
export function isStatementTimeout(error: unknown): boolean {
  const { code, errno } = fields(error);
  return code === '57014' || errno === 1969 || errno === 3024 || code === 'ER_STATEMENT_TIMEOUT' || code === 'ER_QUERY_TIMEOUT';
}

/**
 * Whether a failure means the connection to the database was lost (so a `COMMIT` sent on it
 * may or may not have been applied, R27): a socket error, the driver's "connection lost"
 * errors, or the server ending the session (PostgreSQL class `08` and `57P01`–`57P03`;
 * MySQL/MariaDB 2006, 2013, 1927, 1053).
 */
export function isConnectionLost(error: unknown): boolean {
  const { code, errno, message } = fields(error);
  if (typeof code === 'string') {
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (
      ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTCONN', 'PROTOCOL_CONNECTION_LOST', 'ER_CONNECTION_KILLED', 'ER_SERVER_SHUTDOWN'].includes(code)
    ) {
      return true;
    }
  }
  if (errno === 2006 || errno === 2013 || errno === 1927 || errno === 1053) return true;
  const text = typeof message === 'string' ? message : '';
  return /Connection terminated|connection is closed|Can't add new command when connection is in closed state|Client has encountered a connection error/i.test(
    text,
  );
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


import type { Kysely } from 'kysely';

/** The databases the SQL store speaks to. PGlite counts as `postgres`. */
export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

/**
 * What the SQL store needs to know about a database. The store has one code path; it
 * branches only on these declared capabilities.
 */
export type SqlCapabilities = {
  readonly dialect: SqlDialectName;
  /** Statements that open a write transaction, in order. */
  readonly beginWrite: readonly string[];
  /** Statements that open a read transaction, in order. */
  readonly beginRead: readonly string[];
  /**
   * How write transactions of one domain are serialised.
   * - `row`: the transaction's first statement writes the domain's `cx_domains` row (an
   *   `UPDATE` that locks it, creating it in the transaction when missing; see `domain-lock.ts`).
   * - `database`: the begin statement takes the database's write lock (SQLite's
   *   `BEGIN IMMEDIATE`), and the store runs one transaction at a time on its one connection.
   */
  readonly domainLock: 'row' | 'database';
  /** Insert-or-replace syntax: `ON CONFLICT … DO UPDATE` or `ON DUPLICATE KEY UPDATE`. */
  readonly upsert: 'on-conflict' | 'on-duplicate-key';
  /** The store must queue its own calls: one connection, no pool (SQLite). */
  readonly singleConnection: boolean;
  /** `INSERT … RETURNING` answers the written row (SQLite, PostgreSQL); else it is read back. */
  readonly returning: boolean;
  /** Column types of the schema. */
  readonly types: {
    /** Long text (messages, settings JSON): MySQL's `text` stops at 64 KiB. */
    readonly longText: string;
    readonly bytes: string;
    /** 64-bit integer for epoch milliseconds. */
    readonly millis: string;
    /** Auto-increment primary key: how to declare it. */
    readonly sequence: 'autoincrement' | 'identity';
    /**
     * Collation for text columns that are ordered or compared byte-wise (account IDs and
     * keys), so order matches JavaScript's `<` on these ASCII strings. `null`: the
     * database's text comparison is already binary, or it is set per table.
     */
    readonly binaryColumnCollation: string | null;
  };
};

const SQLITE: SqlCapabilities = {
  dialect: 'sqlite',
  beginWrite: ['begin immediate'],
  beginRead: ['begin'],
  domainLock: 'database',
  upsert: 'on-conflict',
  singleConnection: true,
  returning: true,
  types: { longText: 'text', bytes: 'blob', millis: 'integer', sequence: 'autoincrement', binaryColumnCollation: null },
};

const POSTGRES: SqlCapabilities = {
  dialect: 'postgres',
  // Read committed is enough for writes: every write transaction first waits for its
  // domain's row lock, and each later statement sees everything committed before it got it.
  beginWrite: ['begin isolation level read committed'],
  // One snapshot for every statement of a read.
  beginRead: ['begin isolation level repeatable read read only'],
  domainLock: 'row',
  upsert: 'on-conflict',
  singleConnection: false,
  returning: true,
  types: { longText: 'text', bytes: 'bytea', millis: 'bigint', sequence: 'identity', binaryColumnCollation: '"C"' },
};

const MYSQL: SqlCapabilities = {
  dialect: 'mysql',
  // Read committed takes no gap locks, so writers of different domains do not block each other.
  beginWrite: ['set transaction isolation level read committed', 'start transaction'],
  beginRead: ['start transaction read only'],
  domainLock: 'row',
  upsert: 'on-duplicate-key',
  singleConnection: false,
  returning: false,
  types: { longText: 'mediumtext', bytes: 'longblob', millis: 'bigint', sequence: 'autoincrement', binaryColumnCollation: null },
};

/** The capabilities of a dialect. */
export function sqlCapabilities(dialect: SqlDialectName): SqlCapabilities {
  switch (dialect) {
    case 'sqlite':
      return SQLITE;
    case 'postgres':
      return POSTGRES;
    case 'mysql':
      return MYSQL;
  }
}

/** Kysely's adapter classes (0.28 and 0.29), by name: subclasses such as `PGliteAdapter` count. */
const ADAPTER_CLASS_DIALECTS: Readonly<Record<string, SqlDialectName>> = {
  SqliteAdapter: 'sqlite',
  PostgresAdapter: 'postgres',
  MysqlAdapter: 'mysql',
};

/** What a Kysely dialect adapter declares about itself (every version has these getters). */
type AdapterCapabilities = {
  readonly supportsReturning?: unknown;
  readonly supportsTransactionalDdl?: unknown;
  readonly supportsOutput?: unknown;
};

/**
 * Which dialect a Kysely instance speaks, from its adapter, or `null` when it is none we know.
 *
 * No `instanceof`: the host's Kysely may be another copy than ours (another version, a second
 * install), whose classes are other objects. First the class names along the adapter's
 * prototype chain (`SqliteAdapter`, `PostgresAdapter` or `MysqlAdapter`, or a subclass such as
 * Kysely 0.29's `PGliteAdapter`); when a minifier renamed them, the capabilities every adapter
 * declares: `RETURNING` with transactional DDL is PostgreSQL, `RETURNING` without it SQLite,
 * neither (and no `OUTPUT`, which is SQL Server) MySQL.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { Kysely, SqliteDialect } from 'kysely';
 *
 * detectDialect(new Kysely({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })); // → 'sqlite'
 * ```
 */
export function detectDialect(db: Kysely<any>): SqlDialectName | null {
  const adapter: unknown = db.getExecutor().adapter;
  if (typeof adapter !== 'object' || adapter === null) return null;
  for (let prototype = Object.getPrototypeOf(adapter); prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    const name: unknown = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && Object.hasOwn(ADAPTER_CLASS_DIALECTS, name)) return ADAPTER_CLASS_DIALECTS[name]!;
  }
  const declared = adapter as AdapterCapabilities;
  if (declared.supportsOutput === true) return null;
  if (declared.supportsReturning === true) return declared.supportsTransactionalDdl === true ? 'postgres' : 'sqlite';
  if (declared.supportsReturning === false && declared.supportsTransactionalDdl === false) return 'mysql';
  return null;
}

/** Names accepted for `dialect` options. */
export function isSqlDialectName(value: unknown): value is SqlDialectName {
  return value === 'sqlite' || value === 'postgres' || value === 'mysql';
}

/**
 * How long a write waits for its domain's lock by default, in ms (R49): then it fails with
 * `store_failure` (`outcome: 'rolled_back'`) instead of waiting on.
 *
 * @category Stores
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;

/**
 * Whether a value is a usable `lockTimeoutMs`: a whole number of milliseconds, 1 to 2³¹ − 1.
 */
export function isLockTimeout(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2_147_483_647;
}

/**
 * Statements that bound the lock waits of a connection's session (R49), run once on each
 * connection before its first transaction:
 * - SQLite: `busy_timeout = 0`: a locked database answers `SQLITE_BUSY` at once, and the store
 *   waits on timers and tries again (`store/busy-wait.ts`), never inside the driver,
 *   which would block the event loop.
 * - MySQL/MariaDB: `innodb_lock_wait_timeout` (row locks, whole seconds, at least 1) and
 *   `lock_wait_timeout` (metadata locks); session-wide, because the domain row is upserted
 *   before the transaction begins, and that upsert waits for the row's lock too.
 * - PostgreSQL: none; {@link writeTransactionLimits} bounds each write transaction instead.
 */
export function sessionLockLimits(dialect: SqlDialectName, lockTimeoutMs: number): string[] {
  switch (dialect) {
    case 'sqlite':
      return ['pragma busy_timeout = 0'];
    case 'mysql': {
      const seconds = Math.max(1, Math.ceil(lockTimeoutMs / 1000));
      return [`set session innodb_lock_wait_timeout = ${seconds}, lock_wait_timeout = ${seconds}`];
    }
    case 'postgres':
      return [];
  }
}

/**
 * Statements run right after a write transaction begins (R49). PostgreSQL: `lock_timeout` and
 * `statement_timeout`, both `lockTimeoutMs` and local to the transaction, in one statement (it
 * works on PGlite, which takes one statement a query). Both are needed while the domain's row
 * is locked: `lock_timeout` counts each lock wait afresh, and a writer queued behind other
 * waiters of a row waits twice (for the row's tuple lock, then for the holder's transaction);
 * `statement_timeout` bounds the whole locking statement. That statement then sets
 * `statement_timeout` back to the session's own value (`domain-lock.ts`): the bound is on
 * waiting for the lock, never on the work done holding it (a big erasure is not a lock
 * timeout); later lock waits stay bounded by `lock_timeout`.
 */
export function writeTransactionLimits(dialect: SqlDialectName, lockTimeoutMs: number): string[] {
  if (dialect !== 'postgres') return [];
  return [
    `select set_config('lock_timeout', '${lockTimeoutMs}', true), set_config('statement_timeout', '${lockTimeoutMs}', true)`,
  ];
}

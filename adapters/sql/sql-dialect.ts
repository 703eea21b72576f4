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
   * - `row`: the `cx_domains` row of the domain is created if missing (outside the
   *   transaction), then locked with `SELECT … FOR UPDATE` as the transaction's first statement.
   * - `database`: the begin statement takes the database's write lock (SQLite's
   *   `BEGIN IMMEDIATE`), and the store runs one transaction at a time on its one connection.
   */
  readonly domainLock: 'row' | 'database';
  /** Insert-or-replace syntax: `ON CONFLICT … DO UPDATE` or `ON DUPLICATE KEY UPDATE`. */
  readonly upsert: 'on-conflict' | 'on-duplicate-key';
  /** The store must queue its own calls: one connection, no pool (SQLite). */
  readonly singleConnection: boolean;
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

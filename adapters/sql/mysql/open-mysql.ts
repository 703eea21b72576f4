import { Kysely, MysqlDialect } from 'kysely';
import type { CxDatabase } from '../cx-database.js';
import { openFailure, openMigratedStore, type ClosableStore, type SqlOpenOptions } from '../store/open-migrated-store.js';

/**
 * Connection settings of {@link openMysql}.
 *
 * @category Stores
 */
export type MysqlConfig = {
  /** `mysql://user:password@host:port/database` */
  uri: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
};

/**
 * Opens a store on MySQL or MariaDB through a `mysql2` pool, runs the migrations, then
 * returns the store. Tables use InnoDB, `utf8mb4` and a binary collation (NO PAD where the
 * server has one), so IDs and names compare exactly as in JavaScript.
 *
 * Rejects — only here, at setup — with an `Error` saying why when the server cannot be
 * reached or the schema cannot be migrated (the driver's error is its `cause`). Every
 * operation afterwards answers a `Result`. `close()` waits for the calls in flight to settle,
 * then ends the pool.
 *
 * `options.lockTimeoutMs` (default 5,000) bounds how long a write waits for its domain's lock
 * (R49): the session's `innodb_lock_wait_timeout` and `lock_wait_timeout`, in whole seconds
 * (at least 1).
 *
 * @example
 * ```ts
 * const store = await openMysql({ uri: 'mysql://app:secret@127.0.0.1:3306/app', poolSize: 16 });
 * ```
 *
 * @category Stores
 */
export async function openMysql(config: MysqlConfig, options: SqlOpenOptions = {}): Promise<ClosableStore> {
  const what = 'MySQL database';
  let pool;
  try {
    if (typeof config?.uri !== 'string') throw new TypeError('config.uri must be a string');
    const { createPool } = await import('mysql2');
    pool = createPool({ uri: config.uri, connectionLimit: config.poolSize ?? 10, charset: 'utf8mb4_bin' });
    // A connection the server ends emits 'error'; the query in flight fails on its own.
    pool.on('connection', (connection) => connection.on('error', () => undefined));
  } catch (cause) {
    throw openFailure(what, cause);
  }
  const db = new Kysely<CxDatabase>({ dialect: new MysqlDialect({ pool }) });
  return openMigratedStore(db, 'mysql', what, options);
}

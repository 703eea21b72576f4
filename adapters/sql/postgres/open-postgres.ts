import { Kysely, PostgresDialect } from 'kysely';
import type { CxDatabase } from '../cx-database.js';
import { openFailure, openMigratedStore, type ClosableStore, type SqlOpenOptions } from '../store/open-migrated-store.js';
import { isPGliteLike, pgliteDialect, type PGliteLike } from './pglite-dialect.js';
import { postgresEventListener } from '../store/event-watch.js';

/**
 * Connection settings of {@link openPostgres} for a PostgreSQL server.
 *
 * @category Stores
 */
export type PostgresConfig = {
  /** `postgres://user:password@host:port/database` */
  connectionString: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
};

/**
 * Opens a store on PostgreSQL: a server (through a `pg` pool) or a PGlite instance (detected
 * by its shape: `query`, `exec`, `close`). Runs the migrations, then returns the store.
 *
 * Rejects — only here, at setup — with an `Error` saying why when the server cannot be
 * reached or the schema cannot be migrated (the driver's error is its `cause`). Every
 * operation afterwards answers a `Result`.
 *
 * `options.lockTimeoutMs` (default 5,000) bounds how long a write waits for its domain's lock
 * (R49): `lock_timeout` and `statement_timeout` of each write transaction.
 *
 * `close()` waits for the calls in flight to settle, then ends the pool it made; a PGlite
 * instance you passed stays open (it is yours).
 *
 * @example
 * ```ts
 * const store = await openPostgres({ connectionString: 'postgres://postgres@127.0.0.1:5432/app', poolSize: 16 });
 *
 * // or, embedded:
 * import { PGlite } from '@electric-sql/pglite';
 * const embedded = await openPostgres(await PGlite.create());
 * ```
 *
 * @category Stores
 */
export async function openPostgres(config: PostgresConfig | PGliteLike, options: SqlOpenOptions = {}): Promise<ClosableStore> {
  if (isPGliteLike(config)) {
    const db = new Kysely<CxDatabase>({ dialect: pgliteDialect(config) });
    return openMigratedStore(db, 'postgres', 'PGlite database', options);
  }
  const what = 'PostgreSQL database';
  let pool;
  try {
    if (typeof config?.connectionString !== 'string') throw new TypeError('config.connectionString must be a string');
    const { default: pg } = await import('pg');
    pool = new pg.Pool({ connectionString: config.connectionString, max: config.poolSize ?? 10 });
    // A connection the server ends (restart, pg_terminate_backend) emits 'error'; without a
    // listener Node would crash. The query in flight fails on its own and becomes a
    // `store_failure`; pg drops the broken connection from the pool.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
  } catch (cause) {
    throw openFailure(what, cause);
  }
  const db = new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool }) });
  // Subscribers (R52) share one LISTEN connection of their own, opened while there are any.
  return openMigratedStore(db, 'postgres', what, options, postgresEventListener(config.connectionString));
}

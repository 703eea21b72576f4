/**
 * A Kysely dialect around another that loses its connection at chosen moments, for R27: when armed,
 * a `COMMIT` reaches the server and is applied, then the session is killed before the client
 * can go on, and the driver's own "connection lost" error is what the caller gets — as when a
 * network drops the server's answer to `COMMIT`.
 */
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult } from 'kysely';

/** How to kill a session: learn its id on the connection, then end it from elsewhere. */
export type SessionKiller = {
  /** A query answering one row whose first column is the session's id. */
  idQuery: string;
  /** Ends the session with this id, from another connection. */
  kill(id: unknown): Promise<void>;
};

/** The dialect and its switches; each arms one fault, once. */
export type LostConnectionDialect = {
  dialect: Dialect;
  /** The next `COMMIT` is applied, then the session is killed before its answer is read. */
  armNextCommit(): void;
  /** The session is killed just before the next statement whose SQL matches `pattern` is sent. */
  armKillBefore(pattern: RegExp): void;
  /** How many sessions were killed. */
  kills(): number;
};

/** Wraps `inner` so that it can lose a connection at chosen moments. */
export function lostConnectionDialect(inner: Dialect, killer: SessionKiller): LostConnectionDialect {
  let armed = false;
  let killBefore: RegExp | null = null;
  let lost = 0;
  const sessionId = async (connection: DatabaseConnection) => {
    const { rows } = await connection.executeQuery<Record<string, unknown>>(CompiledQuery.raw(killer.idQuery));
    return Object.values(rows[0] ?? {})[0];
  };
  const wrappers = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const inners = new WeakMap<DatabaseConnection, DatabaseConnection>();

  const wrap = (connection: DatabaseConnection): DatabaseConnection => {
    let wrapper = wrappers.get(connection);
    if (wrapper) return wrapper;
    wrapper = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        if (killBefore?.test(query.sql)) {
          killBefore = null;
          await killer.kill(await sessionId(connection));
          lost += 1;
          return connection.executeQuery<R>(query);
        }
        if (!armed || query.sql.trim().toLowerCase() !== 'commit') return connection.executeQuery<R>(query);
        armed = false;
        const id = await sessionId(connection);
        await connection.executeQuery(query);
        await killer.kill(id);
        lost += 1;
        // The driver's own error for a dead session.
        await connection.executeQuery(CompiledQuery.raw('select 1'));
        throw new Error('the killed session still answered');
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
    };
    wrappers.set(connection, wrapper);
    inners.set(wrapper, connection);
    return wrapper;
  };
  const unwrap = (connection: DatabaseConnection) => inners.get(connection) ?? connection;

  const dialect: Dialect = {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver: (): Driver => {
      const driver = inner.createDriver();
      return {
        init: () => driver.init(),
        acquireConnection: async () => wrap(await driver.acquireConnection()),
        beginTransaction: (connection, settings) => driver.beginTransaction(unwrap(connection), settings),
        commitTransaction: (connection) => driver.commitTransaction(unwrap(connection)),
        rollbackTransaction: (connection) => driver.rollbackTransaction(unwrap(connection)),
        releaseConnection: (connection) => driver.releaseConnection(unwrap(connection)),
        destroy: () => driver.destroy(),
      };
    },
  };
  return {
    dialect,
    armNextCommit: () => void (armed = true),
    armKillBefore: (pattern) => void (killBefore = pattern),
    kills: () => lost,
  };
}

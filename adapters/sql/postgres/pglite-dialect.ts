import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/** The part of a PGlite instance the dialect uses (duck-typed: no import of PGlite). */
export type PGliteLike = {
  /** Runs one statement with positional parameters. */
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  /** Shuts the database down. */
  close(): Promise<void>;
};

/** Whether a value looks like a PGlite instance rather than a connection config. */
export function isPGliteLike(value: unknown): value is PGliteLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { query?: unknown }).query === 'function' &&
    typeof (value as { exec?: unknown }).exec === 'function' &&
    typeof (value as { close?: unknown }).close === 'function'
  );
}

/**
 * A Kysely dialect for a PGlite instance.
 *
 * Why not kysely-pglite's: PGlite is one session, and its driver hands the same session to
 * concurrent "connections", so two transactions would interleave their statements; it also
 * closes the PGlite instance on `destroy()`, though the caller owns it. This one hands out
 * the session to one holder at a time, reports affected row counts, and leaves the instance
 * open (`closeInstance: true` to close it).
 */
export function pgliteDialect(pglite: PGliteLike, options: { closeInstance?: boolean } = {}): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PGliteDriver(pglite, options.closeInstance ?? false),
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  readonly #closeInstance: boolean;
  readonly #pglite: PGliteLike;
  #holder: Promise<void> = Promise.resolve();
  #destroyed = false;

  constructor(pglite: PGliteLike, closeInstance: boolean) {
    this.#pglite = pglite;
    this.#connection = new PGliteConnection(pglite);
    this.#closeInstance = closeInstance;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#destroyed) throw new Error('the PGlite store is closed');
    // A queue of holders: each waits for the previous one to release.
    const previous = this.#holder;
    let release!: () => void;
    this.#holder = new Promise((resolve) => (release = resolve));
    await previous;
    if (this.#destroyed) {
      release();
      throw new Error('the PGlite store is closed');
    }
    this.#connection.release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    await this.#holder;
    if (this.#closeInstance) await this.#pglite.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGliteLike;
  release: () => void = () => {};

  constructor(pglite: PGliteLike) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }
}

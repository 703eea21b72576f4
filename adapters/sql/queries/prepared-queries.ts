import { CompiledQuery, type Compilable, type DatabaseConnection, type Kysely, type QueryResult } from 'kysely';
import type { CxDatabase } from '../cx-database.js';

/**
 * A query of fixed shape: `build` receives one marker per argument and must put each where a
 * value goes; values it writes itself become constants of the compiled template.
 */
export type QueryShape<R = any> = {
  readonly name: string;
  readonly build: (db: Kysely<CxDatabase>, params: any[]) => Compilable<R>;
};

/** Declares a query shape; `name` must be unique among shapes. */
export function queryShape<R = any>(name: string, build: (db: Kysely<CxDatabase>, params: any[]) => Compilable<R>): QueryShape<R> {
  return { name, build };
}

/** Where a compiled query's parameter comes from: an argument of the call, or a constant. */
type Slot = { argument: number } | { constant: unknown };
/** `inOrder`: the parameters are the call's arguments, one each, in order (most shapes): passed as they are. */
type Template = { compiled: CompiledQuery; slots: Slot[]; inOrder: boolean };

/** Distinct query shapes kept per store; shapes with a variable count (IN lists, multi-row inserts) are capped. */
const MAX_TEMPLATES = 512;

/**
 * Leading comment of a query whose rows may come back as arrays of column values, in the
 * order the query selects them. The SQLite statement cache (`sqlite-statement-cache.ts`) puts
 * such statements in better-sqlite3's raw mode, which builds no object per row; other drivers
 * see a comment and answer objects. Readers of these rows must take both forms.
 */
export const ROW_ARRAYS_HINT = '/* cx:row-arrays */ ';

/**
 * Queries built with Kysely once per shape, then run with new values straight on a driver
 * connection: the store's statements cost a lookup instead of building and compiling a query
 * tree every time (that work was most of the store's overhead over hand-written SQL). The
 * SQL text stays the same from run to run, so the SQLite statement cache hits too.
 */
export type PreparedQueries = {
  /** Runs the query of `shape` with `args` on `connection`. */
  run<R>(connection: DatabaseConnection, shape: QueryShape<R>, args: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs the select of `shape` asking for its rows as arrays of column values
   * ({@link ROW_ARRAYS_HINT}): each row is an array on SQLite opened by `openSqlite`, an
   * object elsewhere.
   */
  runRowArrays<R>(connection: DatabaseConnection, shape: QueryShape<R>, args: readonly unknown[]): Promise<QueryResult<R | unknown[]>>;
  /** Runs a query built for this one call (shapes that vary too much to keep). */
  once<R>(connection: DatabaseConnection, query: Compilable<R>): Promise<QueryResult<R>>;
};

/** Prepared queries compiled with `db`'s dialect, to run on connections of the same database. */
export function preparedQueries(db: Kysely<CxDatabase>): PreparedQueries {
  const templates = new Map<string, Template>();

  const compile = (shape: QueryShape, arity: number, prefix: string): Template => {
    const markers = Array.from({ length: arity }, (_, index) => `\u0000cx-param:${shape.name}:${index}\u0000`);
    const built = shape.build(db, markers).compile();
    const compiled = prefix === '' ? built : { ...built, sql: `${prefix}${built.sql}` };
    const slots = compiled.parameters.map((value): Slot => {
      const argument = typeof value === 'string' ? markers.indexOf(value) : -1;
      return argument >= 0 ? { argument } : { constant: value };
    });
    const inOrder = slots.length === arity && slots.every((slot, index) => 'argument' in slot && slot.argument === index);
    return { compiled, slots, inOrder };
  };

  const execute = <R>(connection: DatabaseConnection, shape: QueryShape, args: readonly unknown[], prefix: string) => {
    const key = prefix === '' ? shape.name : `${prefix}${shape.name}`;
    let template = templates.get(key);
    if (!template) {
      template = compile(shape, args.length, prefix);
      if (templates.size < MAX_TEMPLATES) templates.set(key, template);
    }
    const parameters =
      template.inOrder && args.length === template.slots.length
        ? args
        : template.slots.map((slot) => ('argument' in slot ? args[slot.argument] : slot.constant));
    // Drivers read `sql` and `parameters`; the node and id of the template serve every run.
    return connection.executeQuery<R>({ ...template.compiled, parameters });
  };

  return {
    run: (connection, shape, args) => execute(connection, shape, args, ''),
    runRowArrays: (connection, shape, args) => execute(connection, shape, args, ROW_ARRAYS_HINT),
    once(connection, query) {
      return connection.executeQuery(query.compile());
    },
  };
}

/** A statement without parameters (BEGIN, COMMIT), compiled once. */
export function rawStatement(sql: string): CompiledQuery {
  return CompiledQuery.raw(sql);
}

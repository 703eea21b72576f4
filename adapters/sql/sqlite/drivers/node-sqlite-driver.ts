import { hasMethods, importOptional, type SqliteDriverDatabase, type SqliteDriverStatement } from './sqlite-driver.js';
import { withNamedErrors } from './sqlite-error-codes.js';

/** What the store uses of a `node:sqlite` statement (`StatementSync`). */
type NodeStatement = {
  all(...parameters: unknown[]): unknown[];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
  /** Node ≥ 22.16 and Deno: the result columns, none for a statement that answers no rows. */
  columns?(): unknown[];
  /** Node ≥ 22.16 and Deno: rows as arrays of column values. */
  setReturnArrays?(enabled: boolean): void;
};

/** What the store uses of a `node:sqlite` database (`DatabaseSync`). */
type NodeDatabase = { prepare(sql: string): NodeStatement; exec(sql: string): void; close(): void };

type NodeSqliteModule = { DatabaseSync: new (path: string) => NodeDatabase };

function isNodeSqliteModule(value: unknown): value is NodeSqliteModule {
  return hasMethods(value, 'DatabaseSync');
}

/**
 * Whether a statement answers rows, from its text, where `columns()` is missing (Node 22.5 to
 * 22.15): a query, a pragma, or a write with `RETURNING`.
 */
function readsRows(sql: string): boolean {
  const text = sql.replace(/^(\s|\/\*[\s\S]*?\*\/|--[^\n]*\n)*/, '');
  return /^(select|with|values|pragma|explain)\b/i.test(text) || /\breturning\b/i.test(text);
}

function nodeStatement(statement: NodeStatement, sql: string): SqliteDriverStatement {
  const reader = statement.columns ? statement.columns().length > 0 : readsRows(sql);
  const adapted: SqliteDriverStatement = {
    reader,
    all: (parameters) => withNamedErrors(() => statement.all(...parameters)),
    run: (parameters) => withNamedErrors(() => statement.run(...parameters)),
    iterate: (parameters) => withNamedErrors(() => statement.iterate(...parameters)),
  };
  const setReturnArrays = statement.setReturnArrays?.bind(statement);
  if (setReturnArrays) adapted.raw = (toggle: boolean) => setReturnArrays(toggle);
  return adapted;
}

/**
 * Loads `node:sqlite` (Node ≥ 22.5, unflagged from 22.13; Deno) and answers its opener.
 * Rejects when the runtime has none.
 */
export async function loadNodeSqlite(): Promise<(filename: string) => SqliteDriverDatabase> {
  const loaded = await importOptional('node:sqlite');
  if (!isNodeSqliteModule(loaded)) throw new Error('node:sqlite has no DatabaseSync');
  return (filename) => nodeDatabase(withNamedErrors(() => new loaded.DatabaseSync(filename)));
}

function nodeDatabase(database: NodeDatabase): SqliteDriverDatabase {
  return {
    driver: 'node:sqlite',
    prepare: (sql) => nodeStatement(withNamedErrors(() => database.prepare(sql)), sql),
    exec: (sql) => withNamedErrors(() => database.exec(sql)),
    close: () => database.close(),
  };
}

import { hasMethods, importOptional, type SqliteDriverDatabase, type SqliteDriverStatement } from './sqlite-driver.js';

/** What the store uses of a `bun:sqlite` statement. */
type BunStatement = {
  readonly columnNames: readonly string[];
  all(...parameters: unknown[]): unknown[];
  values(...parameters: unknown[]): unknown[][];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
};

/** What the store uses of a `bun:sqlite` database. */
type BunDatabase = { prepare(sql: string): BunStatement; exec(sql: string): unknown; close(): void };

type BunSqliteModule = { Database: new (path: string) => BunDatabase };

function isBunSqliteModule(value: unknown): value is BunSqliteModule {
  return hasMethods(value, 'Database');
}

function bunStatement(statement: BunStatement): SqliteDriverStatement {
  let arrays = false;
  return {
    reader: statement.columnNames.length > 0,
    // bun:sqlite names its errors as better-sqlite3 does (`code: 'SQLITE_BUSY'`).
    all: (parameters) => (arrays ? statement.values(...parameters) : statement.all(...parameters)),
    run: (parameters) => statement.run(...parameters),
    iterate: (parameters) => statement.iterate(...parameters),
    raw(toggle: boolean) {
      arrays = toggle;
    },
  };
}

/** Loads Bun's own `bun:sqlite` and answers its opener. Rejects on any other runtime. */
export async function loadBunSqlite(): Promise<(filename: string) => SqliteDriverDatabase> {
  const loaded = await importOptional('bun:sqlite');
  if (!isBunSqliteModule(loaded)) throw new Error('bun:sqlite has no Database');
  return (filename) => bunDatabase(new loaded.Database(filename));
}

function bunDatabase(database: BunDatabase): SqliteDriverDatabase {
  return {
    driver: 'bun:sqlite',
    prepare: (sql) => bunStatement(database.prepare(sql)),
    exec: (sql) => {
      database.exec(sql);
    },
    close: () => database.close(),
  };
}

import type { SqliteDriverDatabase } from './sqlite-driver.js';

/**
 * Loads better-sqlite3 (an optional peer dependency, a native module) and answers its opener.
 * Rejects when it is not installed or its native part does not load in this runtime (Bun
 * refuses it; a build for another Node version fails): it loads on the first `new Database`,
 * so a private in-memory database is opened and closed to find out.
 */
export async function loadBetterSqlite3(): Promise<(filename: string) => SqliteDriverDatabase> {
  const { default: Database } = await import('better-sqlite3');
  new Database(':memory:').close();
  return (filename) => betterSqlite3Database(new Database(filename));
}

function betterSqlite3Database(database: import('better-sqlite3').Database): SqliteDriverDatabase {
  return {
    driver: 'better-sqlite3',
    prepare: (sql) => database.prepare(sql),
    exec: (sql) => {
      database.exec(sql);
    },
    close: () => database.close(),
  };
}

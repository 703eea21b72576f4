import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Prepared statements kept per connection. */
const DEFAULT_CAPACITY = 256;

/**
 * Wraps a better-sqlite3 database for Kysely's `SqliteDialect` so each distinct SQL text is
 * prepared once: Kysely asks for `prepare(sql)` on every query, and preparing costs more
 * than running the small statements the store issues. Least recently used statements are
 * dropped past `capacity`.
 */
export function cachingSqliteDatabase(database: SqliteDatabase, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached) {
        // Move to the back: most recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}

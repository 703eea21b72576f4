import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { ROW_ARRAYS_HINT } from '../queries/prepared-queries.js';

/** better-sqlite3's switch between rows as objects and rows as arrays. */
type RawMode = { raw?(toggle: boolean): unknown };

/** Prepared statements kept per connection. */
const DEFAULT_CAPACITY = 256;

/**
 * Wraps a better-sqlite3 database for Kysely's `SqliteDialect` so each distinct SQL text is
 * prepared once: Kysely asks for `prepare(sql)` on every query, and preparing costs more
 * than running the small statements the store issues. Least recently used statements are
 * dropped past `capacity`.
 *
 * A select whose text starts with {@link ROW_ARRAYS_HINT} is put in better-sqlite3's raw
 * mode: its rows are arrays of column values, with no object built per row (a backup reads a
 * million rows).
 */
export function cachingSqliteDatabase(database: SqliteDatabase, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached) {
        // Move to the back: most recently used. Only once the cache is half full: until then
        // nothing can be dropped, and a store's few dozen statements never get that far.
        if (statements.size > capacity / 2) {
          statements.delete(sql);
          statements.set(sql, cached);
        }
        return cached;
      }
      const statement = database.prepare(sql);
      if (statement.reader && sql.startsWith(ROW_ARRAYS_HINT)) (statement as SqliteStatement & RawMode).raw?.(true);
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

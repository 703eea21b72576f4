import type { Compilable, Insertable, Kysely } from 'kysely';
import type { CxDatabase } from '../cx-database.js';
import type { SqlCapabilities } from '../sql-dialect.js';

/**
 * The query that inserts a row, or replaces the non-key columns of the row with the same key:
 * `INSERT … ON CONFLICT (key) DO UPDATE` on SQLite and PostgreSQL, `INSERT … ON DUPLICATE
 * KEY UPDATE` on MySQL (the only branch on the `upsert` capability).
 */
export function upsertQuery<T extends keyof CxDatabase & string>(
  db: Kysely<CxDatabase>,
  caps: SqlCapabilities,
  table: T,
  row: Insertable<CxDatabase[T]>,
  keyColumns: readonly (keyof CxDatabase[T] & string)[],
): Compilable<unknown> {
  const changes = Object.fromEntries(Object.entries(row).filter(([column]) => !(keyColumns as readonly string[]).includes(column)));
  // Kysely cannot relate a generic table's columns to its builders; the row is typed above.
  const insert = db.insertInto(table).values(row as never) as any;
  return caps.upsert === 'on-conflict'
    ? insert.onConflict((conflict: any) => conflict.columns(keyColumns).doUpdateSet(changes))
    : insert.onDuplicateKeyUpdate(changes);
}

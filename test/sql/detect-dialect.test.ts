import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { detectDialect } from '../../adapters/sql/sql-dialect.js';
import { createSqlStore } from '../../adapters/sql/store/sql-store.js';

/** A Kysely-like instance whose executor carries `adapter`: all detectDialect reads. */
function withAdapter(adapter: object): Kysely<any> {
  return { getExecutor: () => ({ adapter }) } as unknown as Kysely<any>;
}

// The host's Kysely may be another copy than ours (0.29 next to our 0.28, a second install):
// its adapter classes are not ours, so the dialect is read by name and by capabilities.
describe('detectDialect without instanceof', () => {
  it('reads the class names along the prototype chain, subclasses included', () => {
    class SqliteAdapter {}
    class PostgresAdapter {}
    class PGliteAdapter extends PostgresAdapter {}
    class MysqlAdapter {}
    class MssqlAdapter {}
    expect(detectDialect(withAdapter(new SqliteAdapter()))).toBe('sqlite');
    expect(detectDialect(withAdapter(new PGliteAdapter()))).toBe('postgres');
    expect(detectDialect(withAdapter(new MysqlAdapter()))).toBe('mysql');
    expect(detectDialect(withAdapter(new MssqlAdapter()))).toBeNull();
  });

  it('falls back on declared capabilities when a minifier renamed the classes', () => {
    expect(detectDialect(withAdapter({ supportsReturning: true, supportsTransactionalDdl: false }))).toBe('sqlite');
    expect(detectDialect(withAdapter({ supportsReturning: true, supportsTransactionalDdl: true }))).toBe('postgres');
    expect(detectDialect(withAdapter({ supportsReturning: false, supportsTransactionalDdl: false }))).toBe('mysql');
    // SQL Server: OUTPUT instead of RETURNING, transactional DDL.
    expect(detectDialect(withAdapter({ supportsReturning: false, supportsTransactionalDdl: true, supportsOutput: true }))).toBeNull();
    expect(detectDialect(withAdapter({}))).toBeNull();
  });

  it('createSqlStore reads the dialect itself, and names the option when it cannot', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      expect(typeof createSqlStore(db).transaction).toBe('function');
      expect(() => createSqlStore(withAdapter({}))).toThrow(/pass \{ dialect: 'sqlite' \| 'postgres' \| 'mysql' \}/);
    } finally {
      await db.destroy();
    }
  });
});

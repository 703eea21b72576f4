/**
 * `cx-accounts/sql`: the SQL stores, on Kysely. One code path for SQLite (better-sqlite3,
 * `node:sqlite` or `bun:sqlite`),
 * PostgreSQL (pg, or PGlite embedded) and MySQL/MariaDB (mysql2); each opener runs the
 * migrations. Install the driver of the database you use.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { openSqlite } from 'cx-accounts/sql';
 *
 * const store = await openSqlite('cx.sqlite');
 * const cx = createCxAccounts({ store, directory, contactUrlBase: 'https://talk.example.com/add/' });
 * ```
 *
 * @module cx-accounts/sql
 */
export { openSqlite, type SqliteOpenOptions } from './sqlite/open-sqlite.js';
export { SQLITE_DRIVERS, type SqliteDriverName } from './sqlite/drivers/sqlite-driver.js';
export { openPostgres, type PostgresConfig } from './postgres/open-postgres.js';
export { openMysql, type MysqlConfig } from './mysql/open-mysql.js';
export type { ClosableStore, SqlOpenOptions } from './store/open-migrated-store.js';
export { createSqlStore, type SqlStoreOptions } from './store/sql-store.js';
export { cxMigrations, migrateCxSchema, CX_MIGRATION_TABLE, CX_MIGRATION_LOCK_TABLE, type CxMigrationReport } from './migrations/cx-migrations.js';
export { DEFAULT_LOCK_TIMEOUT_MS, type SqlDialectName } from './sql-dialect.js';
export type { PGliteLike } from './postgres/pglite-dialect.js';
export { MAX_CONFLICT_ATTEMPTS, MAX_TRANSACTION_ATTEMPTS } from './store/transaction-runner.js';
export type * from './cx-database.js';

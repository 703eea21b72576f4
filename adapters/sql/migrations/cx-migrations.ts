import type { Kysely, Migration } from 'kysely';
import { err, ok, type Result } from 'neverthrow';
import { storeFailure, type CxError } from '../../../src/errors.js';
import { detectDialect, type SqlDialectName } from '../sql-dialect.js';
import { initialSchemaMigration } from './0001-initial-schema.js';
import { eventsAndHistoryReadsMigration } from './0002-events-and-history-reads.js';
import { domainLockVersionMigration } from './0003-domain-lock-version.js';
import { backupAuditMigration } from './0004-backup-audit.js';
import { messageDirectionsMigration } from './0005-message-directions.js';
import { webhooksMigration } from './0007-webhooks.js';
import type { DialectMigration } from './dialect-migration.js';
import { kyselyMigrator } from './kysely-migrator.js';

/**
 * The table where Kysely's `Migrator` records the `cx-accounts` migrations that ran.
 *
 * @category Stores
 */
export const CX_MIGRATION_TABLE = 'cx_migrations';
/**
 * The table Kysely's `Migrator` locks while it runs the `cx-accounts` migrations.
 *
 * @category Stores
 */
export const CX_MIGRATION_LOCK_TABLE = 'cx_migration_lock';

/** The migrations in name order, each still to be told its database. */
const DIALECT_MIGRATIONS: Readonly<Record<string, DialectMigration>> = {
  '0001_initial_schema': initialSchemaMigration,
  '0002_events_and_history_reads': eventsAndHistoryReadsMigration,
  '0003_domain_lock_version': domainLockVersionMigration,
  '0004_backup_audit': backupAuditMigration,
  '0005_message_directions': messageDirectionsMigration,
  '0007_webhooks': webhooksMigration,
};

/** Kysely's migrations for one database: the openers know theirs and pass it down. */
export function cxMigrationsFor(dialect: SqlDialectName): Record<string, Migration> {
  return bind(async (migration, db, direction) => migration[direction]?.(db, dialect));
}

/**
 * Every migration of the `cx-accounts` schema, by name (run in name order). Each one works
 * on SQLite, PostgreSQL (and PGlite) and MySQL/MariaDB; given no dialect, it reads which one
 * from the Kysely instance's adapter (by class name and declared capabilities, never
 * `instanceof`) and passes it to the migration.
 *
 * Run them with {@link migrateCxSchema}, or with your own Kysely `Migrator` next to your
 * app's migrations — then keep our table names so the history stays in one place.
 *
 * @example
 * ```ts
 * import { Migrator } from 'kysely'; // Kysely 0.29: from 'kysely/migration'
 * import { cxMigrations, CX_MIGRATION_TABLE, CX_MIGRATION_LOCK_TABLE } from 'cx-accounts/sql';
 *
 * const migrator = new Migrator({
 *   db,
 *   provider: { getMigrations: async () => cxMigrations },
 *   migrationTableName: CX_MIGRATION_TABLE,
 *   migrationLockTableName: CX_MIGRATION_LOCK_TABLE,
 * });
 * const { error } = await migrator.migrateToLatest();
 * ```
 *
 * @category Stores
 */
export const cxMigrations: Readonly<Record<string, Migration>> = Object.freeze(
  bind(async (migration, db, direction) => migration[direction]?.(db, dialectOf(db))),
);

function bind(run: (migration: DialectMigration, db: Kysely<any>, direction: 'up' | 'down') => Promise<void>): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(DIALECT_MIGRATIONS).map(([name, migration]) => [
      name,
      { up: (db: Kysely<any>) => run(migration, db, 'up'), down: (db: Kysely<any>) => run(migration, db, 'down') },
    ]),
  );
}

function dialectOf(db: Kysely<any>): SqlDialectName {
  const dialect = detectDialect(db);
  if (dialect === null) throw new Error('cx-accounts migrations need a SQLite, PostgreSQL or MySQL Kysely dialect');
  return dialect;
}

/**
 * What {@link migrateCxSchema} did.
 *
 * @category Stores
 */
export type CxMigrationReport = {
  /** Names of the migrations that ran now (empty when the schema was already up to date). */
  applied: string[];
};

/**
 * Brings the `cx-accounts` tables of a database up to date. Safe to run on every start and
 * from several processes at once (the `Migrator` takes a lock). Never rejects: a failed
 * migration answers `store_failure` naming the migration, with the database's error as
 * `cause`. `dialect` names the database when the caller knows it (the openers do); without it,
 * it is read from `db`'s adapter.
 *
 * @example
 * ```ts
 * const migrated = await migrateCxSchema(db);
 * if (migrated.isErr()) throw new Error(migrated.error.message);
 * console.log('applied', migrated.value.applied);
 * ```
 *
 * @category Stores
 */
export async function migrateCxSchema(db: Kysely<any>, dialect?: SqlDialectName): Promise<Result<CxMigrationReport, CxError>> {
  try {
    const migrations = dialect === undefined ? cxMigrations : cxMigrationsFor(dialect);
    if (await isUpToDate(db)) return ok({ applied: [] });
    const Migrator = await kyselyMigrator();
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => ({ ...migrations }) },
      migrationTableName: CX_MIGRATION_TABLE,
      migrationLockTableName: CX_MIGRATION_LOCK_TABLE,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((result) => result.status === 'Error')?.migrationName;
      const detail = error instanceof Error ? error.message : String(error);
      return err(storeFailure(error, `migration ${failed ? JSON.stringify(failed) : 'of the cx-accounts schema'} failed: ${detail}`));
    }
    return ok({ applied: (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName) });
  } catch (cause) {
    return err(storeFailure(cause, `migration of the cx-accounts schema failed: ${cause instanceof Error ? cause.message : String(cause)}`));
  }
}

/**
 * Fast path for every start after the first: when the migration table lists every migration,
 * there is nothing to do, and the `Migrator`'s lock and schema introspection are skipped.
 * Inside a caller's transaction the probe is not tried (a failed query would abort it).
 */
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  if (db.isTransaction) return false;
  try {
    const rows = await db.selectFrom(CX_MIGRATION_TABLE).select('name').execute();
    const done = new Set(rows.map((row: { name: string }) => row.name));
    return Object.keys(cxMigrations).every((name) => done.has(name));
  } catch {
    return false;
  }
}

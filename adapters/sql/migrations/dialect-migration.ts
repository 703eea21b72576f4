import type { Kysely } from 'kysely';

/** The databases a migration is written for. PGlite counts as `postgres`. */
export type MigrationDialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * A migration that is told which database it runs on, instead of finding out from the Kysely
 * instance (`instanceof` on Kysely's adapter classes fails when the host's Kysely is another
 * copy than ours). `cx-migrations.ts` binds each to a dialect, giving Kysely's `Migration`.
 */
export type DialectMigration = {
  up(db: Kysely<any>, dialect: MigrationDialect): Promise<void>;
  down?(db: Kysely<any>, dialect: MigrationDialect): Promise<void>;
};

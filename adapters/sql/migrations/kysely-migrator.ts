import * as kysely from 'kysely';
import type { Migrator } from 'kysely';

/** Kysely's `Migrator` class, as both 0.28 and 0.29 shape it. */
export type MigratorClass = typeof Migrator;

/**
 * Kysely's `Migrator` class, wherever the installed Kysely keeps it: 0.28 exports it from
 * `kysely`, 0.29 only from `kysely/migration` (which 0.28 does not have). A named import
 * would fail to link on 0.29, so the root is read through its namespace and the subpath is
 * loaded only when the root lacks it.
 *
 * @example
 * ```ts
 * import { cxMigrations } from 'cx-accounts/sql';
 *
 * const Migrator = await kyselyMigrator();
 * const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...cxMigrations }) } });
 * ```
 */
export async function kyselyMigrator(): Promise<MigratorClass> {
  const fromRoot: unknown = (kysely as Record<string, unknown>)['Migrator'];
  if (typeof fromRoot === 'function') return fromRoot as MigratorClass;
  // A variable specifier: TypeScript (on 0.28's types) must not try to resolve the subpath.
  const subpath = 'kysely/migration';
  const migration = (await import(subpath)) as { Migrator?: unknown };
  if (typeof migration.Migrator !== 'function') throw new Error('the installed kysely exports no Migrator (from kysely or kysely/migration)');
  return migration.Migrator as MigratorClass;
}

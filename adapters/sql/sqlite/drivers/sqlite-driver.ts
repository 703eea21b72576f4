import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The SQLite drivers `openSqlite` can run on (R57): better-sqlite3 (an optional peer, a native
 * build), `node:sqlite` (built into Node ≥ 22.5 and Deno) and `bun:sqlite` (built into Bun).
 *
 * @example
 * ```ts
 * import { openSqlite, SQLITE_DRIVERS } from 'cx-accounts/sql';
 *
 * // A driver named in the app's configuration, checked before it reaches openSqlite.
 * const configured = process.env.CX_SQLITE_DRIVER;
 * const driver = SQLITE_DRIVERS.find((name) => name === configured); // SqliteDriverName | undefined
 * const store = await openSqlite('./cx-accounts.db', driver === undefined ? {} : { driver });
 * ```
 *
 * @category Stores
 */
export const SQLITE_DRIVERS = ['better-sqlite3', 'node:sqlite', 'bun:sqlite'] as const;

/**
 * One of {@link SQLITE_DRIVERS}: the value of `openSqlite`'s `driver` option.
 *
 * @example
 * ```ts
 * import { openSqlite, type SqliteDriverName } from 'cx-accounts/sql';
 *
 * // Bun's own SQLite on Bun; elsewhere the default (better-sqlite3, else node:sqlite).
 * const driver: SqliteDriverName | undefined = 'Bun' in globalThis ? 'bun:sqlite' : undefined;
 * const store = await openSqlite(':memory:', driver === undefined ? {} : { driver });
 * ```
 *
 * @category Stores
 */
export type SqliteDriverName = (typeof SQLITE_DRIVERS)[number];

/** Whether a value names one of {@link SQLITE_DRIVERS}. */
export function isSqliteDriverName(value: unknown): value is SqliteDriverName {
  return typeof value === 'string' && (SQLITE_DRIVERS as readonly string[]).includes(value);
}

/**
 * A prepared statement in the shape Kysely's `SqliteDialect` calls (parameters as one array),
 * with `raw(true)` where the driver can answer rows as arrays of column values.
 */
export type SqliteDriverStatement = SqliteStatement & { raw?(toggle: boolean): unknown };

/**
 * A database connection of any of the drivers, in the shape Kysely's `SqliteDialect` takes
 * (`prepare`, `close`), plus `exec` for statements without parameters or rows (pragmas,
 * `BEGIN IMMEDIATE`). Errors thrown carry better-sqlite3's `code` names (`SQLITE_BUSY`,
 * `SQLITE_CONSTRAINT_UNIQUE`, …) whichever driver raised them.
 */
export type SqliteDriverDatabase = SqliteDatabase & {
  readonly driver: SqliteDriverName;
  prepare(sql: string): SqliteDriverStatement;
  exec(sql: string): void;
};

/** Whether a value is an object with a callable property of each name. */
export function hasMethods(value: unknown, ...names: string[]): value is Record<string, unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const record: Record<string, unknown> = Object(value);
  return names.every((name) => typeof record[name] === 'function');
}

/**
 * Imports a module whose name is held in a variable, so bundlers neither follow nor require
 * it (`bun:sqlite` exists in Bun only, `node:sqlite` in Node ≥ 22.5 and Deno).
 */
export function importOptional(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

import { loadBetterSqlite3 } from './better-sqlite3-driver.js';
import { loadBunSqlite } from './bun-sqlite-driver.js';
import { loadNodeSqlite } from './node-sqlite-driver.js';
import type { SqliteDriverDatabase, SqliteDriverName } from './sqlite-driver.js';

type Opener = (filename: string) => SqliteDriverDatabase;

const LOADERS: Readonly<Record<SqliteDriverName, () => Promise<Opener>>> = {
  'better-sqlite3': loadBetterSqlite3,
  'node:sqlite': loadNodeSqlite,
  'bun:sqlite': loadBunSqlite,
};

/** Whether this runtime is Bun (it has `bun:sqlite` and refuses better-sqlite3). */
function isBun(): boolean {
  return typeof Reflect.get(globalThis, 'Bun') === 'object';
}

/**
 * The drivers to try, in order: the one asked for; else better-sqlite3 where it loads, then the
 * runtime's own SQLite (`bun:sqlite` on Bun, `node:sqlite` on Node ≥ 22.5 and Deno).
 */
export function sqliteDriverOrder(driver?: SqliteDriverName): SqliteDriverName[] {
  if (driver) return [driver];
  return ['better-sqlite3', isBun() ? 'bun:sqlite' : 'node:sqlite'];
}

/** The opener of each driver loaded so far: a driver is imported (and probed) once per process. */
const loaded = new Map<SqliteDriverName, Promise<Opener>>();

function load(name: SqliteDriverName): Promise<Opener> {
  let opener = loaded.get(name);
  if (!opener) {
    opener = LOADERS[name]();
    loaded.set(name, opener);
  }
  return opener;
}

/**
 * The first driver of {@link sqliteDriverOrder} that loads in this runtime, with its opener.
 * Rejects with an `Error` naming each driver tried and why it did not load.
 */
export async function loadSqliteDriver(driver?: SqliteDriverName): Promise<{ name: SqliteDriverName; open: Opener }> {
  const failures: string[] = [];
  let lastCause: unknown;
  for (const name of sqliteDriverOrder(driver)) {
    try {
      return { name, open: await load(name) };
    } catch (cause) {
      lastCause = cause;
      failures.push(`${name}: ${cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause)}`);
    }
  }
  const hint = driver ? '' : ' (install better-sqlite3, or run on Node ≥ 22.5, Deno or Bun, which have SQLite built in)';
  throw new Error(`no SQLite driver loads${hint}: ${failures.join('; ')}`, { cause: lastCause });
}

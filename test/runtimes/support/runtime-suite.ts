/**
 * The runtime suite: the core + memory store (the store conformance suite on the memory store,
 * the schedule functions, ids without `crypto.randomUUID`) and the SQLite conformance suite on
 * one driver, with the R49 lock-wait cases. Bundled by `build-runtime-suite.ts` with
 * `mini-vitest.ts` standing in for vitest, and run as a plain script by Node 20/22/24, Bun and
 * Deno (`runtime-matrix.test.ts`).
 *
 * Usage: `<runtime> runtime-suite.mjs [--driver=better-sqlite3|node:sqlite|bun:sqlite] [--runs=N]`.
 * Prints `ok …` / `not ok …` per test, then one line `RESULT {json}`; exits 1 when a test failed.
 */
import { memoryStore } from '../../../adapters/memory/memory-store.js';
import { openSqlite } from '../../../adapters/sql/sqlite/open-sqlite.js';
import { loadSqliteDriver } from '../../../adapters/sql/sqlite/drivers/open-sqlite-database.js';
import { isSqliteDriverName, type SqliteDriverName } from '../../../adapters/sql/sqlite/drivers/sqlite-driver.js';
import { availability, nextChange } from '../../../src/schedule-entry.js';
import { describeStoreConformance } from '../../../testing/describe-store-conformance.js';
import { describeBackupConformance } from '../../../testing/conformance/backups.js';
import { randomId } from '../../../src/random-id.js';
import { defaultSettings } from '../../../src/schedule/default-settings.js';
import { describe, expect, it, run } from './mini-vitest.js';
import { sqliteLockWaitCases } from './sqlite-lock-wait-cases.js';

const args = new Map(
  process.argv.slice(2).flatMap((arg) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    return match ? [[match[1]!, match[2]!] as const] : [];
  }),
);
const driverArg = args.get('driver');
const driver: SqliteDriverName | undefined = isSqliteDriverName(driverArg) ? driverArg : undefined;
const runs = Number(args.get('runs') ?? 20);

const runtime =
  typeof Reflect.get(globalThis, 'Bun') === 'object'
    ? `bun ${String(Reflect.get(Reflect.get(globalThis, 'Bun'), 'version'))}`
    : typeof Reflect.get(globalThis, 'Deno') === 'object'
      ? `deno ${String(Reflect.get(Reflect.get(Reflect.get(globalThis, 'Deno'), 'version'), 'deno'))}`
      : `node ${process.versions.node}`;
const loaded = await loadSqliteDriver(driver);
console.log(`runtime suite on ${runtime}, SQLite driver ${loaded.name}`);

describe('the core without crypto.randomUUID', () => {
  it('R57: ids are UUID v4 made from getRandomValues alone', () => {
    const crypto = globalThis.crypto;
    const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(crypto), 'randomUUID');
    // Where the property can be hidden, hide it, as a page on plain http has none.
    const hidden = descriptor?.configurable === true && Reflect.deleteProperty(Object.getPrototypeOf(crypto), 'randomUUID');
    try {
      const ids = Array.from({ length: 1000 }, () => randomId());
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(ids).size).toBe(1000);
    } finally {
      if (hidden && descriptor) Object.defineProperty(Object.getPrototypeOf(crypto), 'randomUUID', descriptor);
    }
  });
});

describe('schedule functions', () => {
  it('R11: availability and nextChange in a time zone', () => {
    const settings = { ...defaultSettings(), timeZone: 'Asia/Seoul' };
    // Friday 2026-11-27 20:00 in Seoul: after the default 09:00–18:00.
    expect(availability(settings, new Date('2026-11-27T11:00:00Z'))).toBe('away');
    expect(availability(settings, new Date('2026-11-27T01:00:00Z'))).toBe('open');
    expect(nextChange(settings, new Date('2026-11-27T11:00:00Z'))).toEqual({ at: new Date('2026-11-30T00:00:00Z'), state: 'open' });
  });
});

describeStoreConformance({ name: 'memory', setup: async () => memoryStore(), teardown: async () => {} }, { hostileInputRuns: runs });

const sqliteOptions = driver ? { driver } : {};
describeStoreConformance(
  { name: `sqlite :memory: (${loaded.name})`, setup: () => openSqlite(':memory:', sqliteOptions), teardown: (store) => store.close() },
  { hostileInputRuns: runs },
);
describeBackupConformance({
  name: `sqlite :memory: (${loaded.name})`,
  setup: () => openSqlite(':memory:', sqliteOptions),
  teardown: (store) => store.close(),
});
sqliteLockWaitCases(driver);

const report = await run((line) => console.log(line));
console.log(`RESULT ${JSON.stringify({ runtime, driver: loaded.name, ...report })}`);
if (report.failed > 0) process.exitCode = 1;

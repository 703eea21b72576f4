import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cxMigrations } from '../../adapters/sql/migrations/cx-migrations.js';
import { packageRoot, packIntoTempProject } from '../package/packed-package.js';

/**
 * Kysely is a peer dependency (0.28 or 0.29). 0.29 needs Node ≥ 22 and moved `Migrator` to
 * `kysely/migration`; this machine runs Node 20 with 0.28 in node_modules. So this test takes
 * Node 22 and Kysely 0.29 from the npm registry (`npx -p node@22`, `npm pack kysely@0.29`),
 * puts the packed cx-accounts next to them, and runs a host program that builds its OWN
 * Kysely 0.29 instance on PGlite (Kysely 0.29's PGliteDialect) and hands it to
 * `migrateCxSchema` and `createSqlStore` — whose dialect detection must not use instanceof.
 *
 * Not tested on 0.29: SQLite (better-sqlite3 here is compiled for Node 20's ABI and cannot
 * load in Node 22), PostgreSQL and MySQL servers (the same SQL code path as on 0.28; the
 * PGlite run covers the PostgreSQL adapter and the migrator's new home).
 */
const registryMissing = (() => {
  const probe = spawnSync('npx', ['-y', '-p', 'node@22', 'node', '--version'], { encoding: 'utf8', timeout: 120_000 });
  return probe.status === 0 && probe.stdout.startsWith('v22.') ? null : `${probe.stderr || probe.error?.message || 'no output'}`.slice(0, 300);
})();
if (registryMissing && process.env.CI === 'true') throw new Error(`Node 22 from the npm registry is needed for the Kysely 0.29 test: ${registryMissing}`);
if (registryMissing) console.warn(`[skip] Kysely 0.29 on Node 22: the npm registry did not give node@22 (${registryMissing})`);

/** Dependencies the host program resolves from this checkout (pure JS, same on Node 22). */
// The package's runtime dependencies (read from package.json, so a new one is never missed) and the driver.
const SHARED = [
  ...Object.keys((JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies),
  '@electric-sql/pglite',
];

const HOST_PROGRAM = `
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { createCxAccounts } from 'cx-accounts';
import { memoryDirectory } from 'cx-accounts/memory';
import { createSqlStore, migrateCxSchema, openPostgres } from 'cx-accounts/sql';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pglite = new PGlite();
const db = new Kysely({ dialect: new PGliteDialect({ pglite }) });
const migrated = await migrateCxSchema(db);
const store = createSqlStore(db);
const cx = createCxAccounts({
  store,
  directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
  contactUrlBase: 'https://talk.example.com/add/',
});
await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 1 });
const created = await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] });
const second = await cx.accounts.create('acme', { productId: 'basic', name: 'Sales', id: 'sales', agentIds: ['u1'] });
const listed = await cx.accounts.list('acme');
await db.destroy();
const opened = await openPostgres(new PGlite());
await opened.close();
// CommonJS users: require() of the bundled CJS, which requires the ESM-only Kysely 0.29.
const require = createRequire(import.meta.url);
console.log(JSON.stringify({
  kysely: JSON.parse(readFileSync('node_modules/kysely/package.json', 'utf8')).version,
  node: process.version,
  migrated: migrated.match((value) => value.applied, (error) => error.message),
  created: created.match((account) => account.id, (error) => error.code),
  second: second.match(() => 'ok', (error) => error.code),
  listed: listed.match((page) => page.items.map((item) => item.id), (error) => error.code),
  cjs: typeof require('cx-accounts/sql').createSqlStore,
}));
`;

describe.skipIf(registryMissing !== null)('Kysely 0.29 on Node 22, the host’s own instance (peer dependency)', () => {
  let project: string;

  beforeAll(() => {
    project = packIntoTempProject();
    const modules = join(project, 'node_modules');
    const packed = execFileSync('npm', ['pack', 'kysely@^0.29', '--json', '--pack-destination', project], { cwd: project, encoding: 'utf8' });
    const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
    mkdirSync(join(modules, 'kysely'), { recursive: true });
    execFileSync('tar', ['-xzf', join(project, filename), '-C', join(modules, 'kysely'), '--strip-components=1']);
    // Scoped packages need their scope folder first.
    for (const name of SHARED) if (name.startsWith('@')) mkdirSync(join(modules, name.split('/')[0]!), { recursive: true });
    for (const name of SHARED) symlinkSync(realpathSync(join(packageRoot, 'node_modules', name)), join(modules, name), 'dir');
    writeFileSync(join(project, 'host.mjs'), HOST_PROGRAM);
  }, 240_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('migrates, detects the PostgreSQL adapter without instanceof, and runs the rules', () => {
    const run = spawnSync('npx', ['-y', '-p', 'node@22', 'node', 'host.mjs'], { cwd: project, encoding: 'utf8', timeout: 180_000 });
    expect(run.stderr.split('\n').filter((line) => /Error|error:/.test(line))).toEqual([]);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result.node).toMatch(/^v22\./);
    expect(result.kysely).toMatch(/^0\.29\./);
    expect(result.migrated).toEqual(Object.keys(cxMigrations));
    expect(result.created).toBe('help');
    // R3: one unit of the product, so the second account is refused.
    expect(result.second).toBe('product_unavailable');
    expect(result.listed).toEqual(['help']);
    expect(result.cjs).toBe('function');
  }, 240_000);
});

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './packed-package.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SUBPATHS = ['cx-accounts', 'cx-accounts/schedule', 'cx-accounts/memory', 'cx-accounts/sql', 'cx-accounts/testing'] as const;

/** Runs a snippet in a fresh Node process in the package root, where `cx-accounts` resolves to itself. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

// The package imports itself by name: Node resolves that through the `exports` map to dist/,
// exactly as it would in a user's project.
describe('the built package through its exports map', () => {
  // dist/ is built once before the tests (test/build-once.ts); building it here would empty
  // it under the other files that read it at the same time.
  beforeAll(ensureBuilt);

  it('ESM users get every entry point and a working store', () => {
    const script = `
      const root = await import('cx-accounts');
      const { memoryStore, memoryDirectory } = await import('cx-accounts/memory');
      const sql = await import('cx-accounts/sql');
      const cx = root.createCxAccounts({ store: memoryStore(), directory: memoryDirectory([{ domainId: 'd', id: 'm', name: 'M', email: 'm@d.test' }]), contactUrlBase: 'https://x.test/' });
      await cx.products.set('d', { productId: 'p', name: 'P', seatLimit: 1, quantity: 1 });
      const created = await cx.accounts.create('d', { productId: 'p', name: 'Desk', id: 'desk', agentIds: ['m'] });
      const store = await sql.openSqlite(':memory:');
      await store.close();
      console.log(JSON.stringify({ ok: created.isOk(), keys: Object.keys(root).sort(), sql: typeof sql.openPostgres, available: root.availability(created._unsafeUnwrap().settings, new Date('2026-11-25T10:00:00Z')) }));
    `;
    const output = JSON.parse(node(['--input-type=module', '-e', script]));
    expect(output.ok).toBe(true);
    expect(output.sql).toBe('function');
    expect(output.available).toBe('open');
    expect(output.keys).toEqual(expect.arrayContaining(['createCxAccounts', 'availability', 'nextChange', 'formatCxError', 'ok', 'err', 'Result', 'ResultAsync']));
  });

  it('CommonJS users get the same entry points', () => {
    const script = `
      const names = ${JSON.stringify(SUBPATHS.filter((name) => name !== 'cx-accounts/testing'))};
      const loaded = names.map((name) => [name, Object.keys(require(name)).length]);
      console.log(JSON.stringify(loaded));
    `;
    const loaded = JSON.parse(node(['-e', script])) as [string, number][];
    for (const [name, count] of loaded) expect(count, name).toBeGreaterThan(0);
    expect(node(['-e', "console.log(typeof require('cx-accounts').createCxAccounts)"]).trim()).toBe('function');
  });

  it('the testing entry point resolves for both module systems', () => {
    const esm = node(['--input-type=module', '-e', "console.log(import.meta.resolve('cx-accounts/testing'))"]);
    expect(esm).toContain('/dist/esm/testing/index.js');
    const cjs = node(['-e', "console.log(require.resolve('cx-accounts/testing'))"]);
    expect(cjs).toContain('/dist/testing.cjs');
  });
});

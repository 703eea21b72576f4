/**
 * R49: a write that cannot take its domain's lock within `lockTimeoutMs` fails with
 * `store_failure` (`outcome: 'rolled_back'`) and never hangs. Another process takes the
 * domain's lock in a write transaction and is frozen (SIGSTOP) while holding it; the writers of
 * this process must answer within the bound, and after SIGCONT everything works again.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, type Result } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import type { CxError } from '../../src/errors.js';
import { checkAvailable, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';
import { createMysqlDatabase, createPostgresDatabase, scratchDatabaseName } from './scratch-databases.js';
import { runScript } from './support/child-process.js';

const LOCK_TIMEOUT_MS = 1000;

type Target = {
  name: string;
  kind: 'postgres' | 'mysql' | 'sqlite';
  available: () => Promise<boolean>;
  /** A new, empty database: what the child opens, and a store on it for this process. */
  create: () => Promise<{ target: string; open: (options: { lockTimeoutMs: number }) => Promise<ClosableStore>; drop: () => Promise<void> }>;
  /** Whether writes of another domain go on meanwhile (row locks), or wait too (SQLite's one write lock). */
  domainsIndependent: boolean;
};

const targets: Target[] = [
  {
    name: 'PostgreSQL',
    kind: 'postgres',
    available: () => checkAvailable(postgresFactory),
    create: async () => {
      const database = await createPostgresDatabase();
      return { target: database.url, open: (options) => openPostgres({ connectionString: database.url }, options), drop: database.drop };
    },
    domainsIndependent: true,
  },
  {
    name: 'MariaDB',
    kind: 'mysql',
    available: () => checkAvailable(mysqlFactory),
    create: async () => {
      const database = await createMysqlDatabase();
      return { target: database.url, open: (options) => openMysql({ uri: database.url }, options), drop: database.drop };
    },
    domainsIndependent: true,
  },
  {
    name: 'SQLite file',
    kind: 'sqlite',
    available: async () => true,
    create: async () => {
      const file = join(tmpdir(), `${scratchDatabaseName()}.sqlite`);
      return {
        target: file,
        open: (options) => openSqlite(file, options),
        drop: async () => {
          for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
        },
      };
    },
    domainsIndependent: false,
  },
];

/** Runs a write of one product on a domain; answers the result and how long it took. */
async function timedWrite(store: ClosableStore, domainId: string, productId: string): Promise<{ result: Result<string, CxError>; millis: number }> {
  const started = performance.now();
  const result = await store.transaction(domainId, 'write', async (tx) => {
    await tx.setProduct({ productId, name: productId, seatLimit: 1, quantity: 1 });
    return ok('written');
  });
  return { result, millis: performance.now() - started };
}

for (const target of targets) {
  const available = await target.available();
  describe.skipIf(!available)(`${target.name}: a writer frozen while holding a domain's lock`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    it('R49: other writers answer store_failure (rolled_back) within lockTimeoutMs; after SIGCONT the store works again', async () => {
      const database = await target.create();
      cleanups.push(database.drop);
      const store = await database.open({ lockTimeoutMs: LOCK_TIMEOUT_MS });
      cleanups.push(() => store.close());

      const holder = runScript('hold-domain-lock.ts', [JSON.stringify({ kind: target.kind, target: database.target, domainId: 'acme' })]);
      cleanups.push(async () => {
        holder.child.kill('SIGCONT');
        holder.child.kill('SIGKILL');
      });
      await holder.waitForLine(/^locked$/);
      holder.child.kill('SIGSTOP');

      const writes = await Promise.all([timedWrite(store, 'acme', 'a1'), timedWrite(store, 'acme', 'a2'), timedWrite(store, 'acme', 'a3')]);
      for (const { result, millis } of writes) {
        expect(result.isErr() && result.error).toMatchObject({ code: 'store_failure', outcome: 'rolled_back' });
        expect(result.isErr() && result.error.message).toContain("could not take the domain's lock within lockTimeoutMs");
        // It waited for the lock (no speed is asserted: a loaded machine answers later).
        expect(millis).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS * 0.9);
      }
      // Reads never wait for a writer.
      const read = await store.transaction('acme', 'read', async (tx) => ok(await tx.listProducts()));
      expect(read.isOk() && read.value).toEqual([]);
      // Another domain's writes go on (row locks), or fail in time too (SQLite's one write lock).
      const other = await timedWrite(store, 'globex', 'g1');
      if (target.domainsIndependent) expect(other.result.isOk()).toBe(true);
      else expect(other.result.isErr() && other.result.error).toMatchObject({ code: 'store_failure', outcome: 'rolled_back' });

      holder.child.kill('SIGCONT');
      holder.child.stdin.write('release\n');
      await holder.waitForLine(/^committed$/);
      expect((await holder.exited).code).toBe(0);

      const after = await timedWrite(store, 'acme', 'after');
      expect(after.result.isOk()).toBe(true);
      const products = await store.transaction('acme', 'read', async (tx) => ok((await tx.listProducts()).map((product) => product.productId)));
      expect(products.isOk() && products.value).toEqual(['after', 'held']);
    }, 300_000);
  });
}

describe('lockTimeoutMs option', () => {
  it('R49: a lockTimeoutMs that is not a whole number of milliseconds from 1 is refused at open, saying why', async () => {
    for (const lockTimeoutMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5000' as unknown as number]) {
      await expect(openSqlite(':memory:', { lockTimeoutMs })).rejects.toThrow(/lockTimeoutMs must be a whole number of milliseconds/);
    }
    const store = await openSqlite(':memory:', { lockTimeoutMs: 1 });
    expect((await timedWrite(store, 'acme', 'p')).result.isOk()).toBe(true);
    await store.close();
  });
});

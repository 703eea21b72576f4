/**
 * R49 on SQLite, for every driver: a write waiting for another connection's write lock lets the
 * host's timers run (it waits on timers, not inside the driver), fails with `store_failure`
 * (`rolled_back`) naming the lock wait once `lockTimeoutMs` has passed, and succeeds when the
 * lock is let go in time. The other connection is a second one on the file, of the same driver,
 * outside the store (to SQLite, another connection of this process locks like another process).
 *
 * Shared by the vitest file on the host (`sqlite-lock-wait.test.ts`) and the runtime suite.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../adapters/sql/sqlite/open-sqlite.js';
import type { ClosableStore } from '../../../adapters/sql/store/open-migrated-store.js';
import { loadSqliteDriver } from '../../../adapters/sql/sqlite/drivers/open-sqlite-database.js';
import type { SqliteDriverDatabase, SqliteDriverName } from '../../../adapters/sql/sqlite/drivers/sqlite-driver.js';

const putProduct = (store: ClosableStore, domainId: string, productId: string) =>
  store.transaction(domainId, 'write', async (tx) => {
    await tx.setProduct({ productId, name: productId, seatLimit: 1, quantity: 1 });
    return ok(productId);
  });

/** Counts the turns of a 10 ms interval timer while `work` runs. */
async function ticksDuring<T>(work: Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 10);
  try {
    const value = await work;
    return { value, ticks };
  } finally {
    clearInterval(timer);
  }
}

export function sqliteLockWaitCases(driver: SqliteDriverName | undefined): void {
  describe(`SQLite (${driver ?? 'default driver'}): waiting for another connection's write lock`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** A store on a new file, and a second connection of the same driver holding its write lock. */
    const lockedFile = async (lockTimeoutMs: number) => {
      const file = join(tmpdir(), `cx-lock-wait-${crypto.getRandomValues(new Uint32Array(2)).join('-')}.sqlite`);
      cleanups.push(async () => {
        for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
      });
      const store = await openSqlite(file, { lockTimeoutMs, ...(driver ? { driver } : {}) });
      cleanups.push(() => store.close());
      expect((await putProduct(store, 'acme', 'before')).isOk()).toBe(true);
      const holder: SqliteDriverDatabase = (await loadSqliteDriver(driver)).open(file);
      cleanups.push(() => holder.close());
      holder.exec('begin immediate');
      holder.prepare("insert into cx_products (domain_id, product_id, name, seat_limit, quantity) values ('acme', 'held', 'held', 1, 1)").run([]);
      return { store, holder };
    };

    it('R49: the timers keep running while a write waits; after lockTimeoutMs it fails with store_failure (rolled_back) naming the lock wait', async () => {
      const lockTimeoutMs = 1000;
      const { store } = await lockedFile(lockTimeoutMs);
      const { value: result, ticks } = await ticksDuring(putProduct(store, 'acme', 'waiting'));
      expect(result.isErr() && result.error).toMatchObject({ code: 'store_failure', outcome: 'rolled_back' });
      expect(result.isErr() && result.error.message).toContain("could not take the domain's lock within lockTimeoutMs");
      // Waiting inside the driver let no turn of the timer happen at all (the write's answer
      // came in the same turn as the wait's end); a loaded machine may give the process few
      // turns, so any two will do.
      expect(ticks).toBeGreaterThanOrEqual(2);
      // Reads do not wait for the lock.
      const read = await store.transaction('acme', 'read', async (tx) => ok((await tx.listProducts()).map((product) => product.productId)));
      expect(read.isOk() && read.value).toEqual(['before']);
    });

    it('R49: a waiting write succeeds once the other connection commits, and reads run while it waits', async () => {
      const { store, holder } = await lockedFile(60_000);
      let readsWhileWaiting = 0;
      let writeDone = false;
      const write = putProduct(store, 'acme', 'waited').then((result) => {
        writeDone = true;
        return result;
      });
      // Reads of the store go on while its write waits for the lock.
      for (let turn = 0; turn < 5; turn++) {
        const read = await store.transaction('globex', 'read', async (tx) => ok(await tx.listProducts()));
        expect(read.isOk()).toBe(true);
        if (!writeDone) readsWhileWaiting += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(readsWhileWaiting).toBe(5);
      holder.exec('commit');
      const { value: result, ticks } = await ticksDuring(write);
      expect(result.isOk()).toBe(true);
      expect(ticks).toBeGreaterThanOrEqual(0);
      const products = await store.transaction('acme', 'read', async (tx) => ok((await tx.listProducts()).map((product) => product.productId)));
      expect(products.isOk() && products.value).toEqual(['before', 'held', 'waited']);
    });

    it('R49: a backup chunk written outside a transaction waits for the lock on timers too', async () => {
      const { store, holder } = await lockedFile(60_000);
      let settled = false;
      const written = store.appendBackupChunk('acme', 'file-1', 1, new Uint8Array([1, 2, 3])).finally(() => (settled = true));
      // Three turns of a timer while the chunk waits (counted, not timed: a loaded machine is slow).
      let ticks = 0;
      const timer = setInterval(() => (ticks += 1), 10);
      while (ticks < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      clearInterval(timer);
      expect(settled).toBe(false);
      holder.exec('commit');
      await written;
      const chunks: Uint8Array[] = [];
      for await (const chunk of store.readBackupChunks('acme', 'file-1')) chunks.push(chunk);
      expect(chunks.map((chunk) => [...chunk])).toEqual([[1, 2, 3]]);
    });
  });
}

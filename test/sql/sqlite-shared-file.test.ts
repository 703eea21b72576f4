/**
 * R49: two stores of one process on one SQLite file. better-sqlite3 waits for a lock
 * synchronously, so a second connection's `BEGIN IMMEDIATE` used to block the event loop for
 * the whole busy timeout (5 s) while the first transaction, which needed that loop to finish,
 * could not move. Openers of one file (by real path) now share its connection.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ok } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { sqliteFileHandles, sqliteFileKey } from '../../adapters/sql/sqlite/sqlite-file-registry.js';
import type { Store } from '../../src/ports/store.js';

const putProduct = (store: Store, productId: string, before?: () => Promise<void>) =>
  store.transaction('acme', 'write', async (tx) => {
    await tx.setProduct({ productId, name: productId, seatLimit: 1, quantity: 1 });
    await before?.();
    return ok(productId);
  });

const productIds = async (store: Store) =>
  (await store.transaction('acme', 'read', async (tx) => ok((await tx.listProducts()).map((product) => product.productId))))._unsafeUnwrap();

describe('SQLite: two stores of one process on one file', () => {
  let folder: string;
  let link: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cx-shared-'));
    link = `${folder}-link`;
    await symlink(folder, link);
  });
  afterAll(async () => {
    await rm(link, { force: true });
    await rm(folder, { recursive: true, force: true });
  });

  it('R49: the second store waits its turn behind the first one’s transaction, and the process never freezes', async () => {
    const file = join(folder, 'one.sqlite');
    const first = await openSqlite(file);
    // The same file through a symbolic link and a relative path.
    const second = await openSqlite(join(link, 'one.sqlite'));
    const third = await openSqlite(relative(process.cwd(), file));
    expect(sqliteFileHandles(sqliteFileKey(file))).toBe(3);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const firstWrite = putProduct(first, 'first', async () => {
      order.push('first holds the lock');
      holding();
      await released;
      order.push('first commits');
    });
    await held;
    const secondWrite = putProduct(second, 'second', async () => void order.push('second writes'));
    const thirdWrite = putProduct(third, 'third', async () => void order.push('third writes'));
    // Let the event loop turn a few times while the first transaction holds the lock.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const results = await Promise.all([firstWrite, secondWrite, thirdWrite]);
    delay.disable();

    expect(results.map((result) => result.isOk() && result.value)).toEqual(['first', 'second', 'third']);
    expect(order).toEqual(['first holds the lock', 'first commits', 'second writes', 'third writes']);
    // A freeze of the busy timeout (5 s) would show here; a correctness bound, not a speed target.
    expect(delay.max / 1e6).toBeLessThan(2000);
    expect(await productIds(third)).toEqual(['first', 'second', 'third']);

    await Promise.all([first.close(), second.close(), third.close()]);
    expect(sqliteFileHandles(sqliteFileKey(file))).toBe(0);
  });

  it('R49: closing one store leaves the others working; the last close closes the file, and it opens again', async () => {
    const file = join(folder, 'two.sqlite');
    const first = await openSqlite(file);
    const second = await openSqlite(file);
    expect((await putProduct(first, 'one')).isOk()).toBe(true);

    await first.close();
    await first.close();
    const closed = await putProduct(first, 'closed');
    expect(closed.isErr() && closed.error).toMatchObject({ code: 'store_failure', message: 'storage failed: the store is closed' });
    expect(sqliteFileHandles(sqliteFileKey(file))).toBe(1);
    expect((await putProduct(second, 'two')).isOk()).toBe(true);

    await second.close();
    expect(sqliteFileHandles(sqliteFileKey(file))).toBe(0);
    const again = await openSqlite(file);
    expect(await productIds(again)).toEqual(['one', 'two']);
    await again.close();
  });

  it('R49: a symbolic link made before its file exists leads to the same connection (through a chain of links)', async () => {
    const file = join(folder, 'later.sqlite');
    // alias → chain → later.sqlite (relative targets), all made before later.sqlite exists.
    await symlink('later.sqlite', join(folder, 'chain.sqlite'));
    await symlink('chain.sqlite', join(folder, 'alias.sqlite'));
    expect(sqliteFileKey(join(link, 'alias.sqlite'))).toBe(sqliteFileKey(file));
    const throughLink = await openSqlite(join(link, 'alias.sqlite'));
    const direct = await openSqlite(file);
    expect(sqliteFileHandles(sqliteFileKey(file))).toBe(2);
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, index) => putProduct(index % 2 === 0 ? throughLink : direct, `p${String(index).padStart(2, '0')}`)),
    );
    expect(writes.filter((result) => result.isErr())).toEqual([]);
    expect(await productIds(direct)).toHaveLength(20);
    await Promise.all([throughLink.close(), direct.close()]);
    expect(sqliteFileHandles(sqliteFileKey(file))).toBe(0);
  });

  it('R49: in-memory databases stay private to each opener', async () => {
    const first = await openSqlite(':memory:');
    const second = await openSqlite(':memory:');
    expect((await putProduct(first, 'only-first')).isOk()).toBe(true);
    expect(await productIds(second)).toEqual([]);
    await Promise.all([first.close(), second.close()]);
  });
});

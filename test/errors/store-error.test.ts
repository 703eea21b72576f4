import { err, ok, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import type { CxError } from '../../src/errors.js';
import { StoreError, storeFailureOf } from '../../src/ports/store-error.js';
import type { ProductRecord } from '../../src/ports/records.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { transact } from '../../src/run-transaction.js';

/** The memory store, with `getProduct` failing as `fail` says. */
function storeFailingWith(fail: () => never): Store {
  const inner = memoryStore();
  return {
    ...inner,
    transaction: <T>(domainId: string, mode: 'read' | 'write', work: (tx: StoreTransaction) => PromiseLike<Result<T, CxError>>) =>
      inner.transaction(domainId, mode, (tx) =>
        work(new Proxy(tx, { get: (target, key) => (key === 'getProduct' ? async () => fail() : Reflect.get(target, key)) })),
      ),
  };
}

const product: ProductRecord = { productId: 'p', name: 'P', seatLimit: 1, quantity: 1 };
const notFound: CxError = { code: 'not_found', message: 'no such product', entity: 'product' };

describe('transact: whose fault a throw is (R27)', () => {
  it('R27: a StoreError from a store method is the store\'s: store_failure with its outcome, rolled back', async () => {
    const store = storeFailingWith(() => {
      throw new StoreError('disk on fire', { cause: new Error('EIO'), outcome: 'unknown' });
    });
    const answer = await transact(store, 'acme', 'write', async (tx) => ok(await tx.getProduct('p')));
    expect(answer.isErr() && answer.error).toMatchObject({ code: 'store_failure', message: 'disk on fire', outcome: 'unknown' });
    expect(answer.isErr() && answer.error.code === 'store_failure' && (answer.error.cause as Error).message).toBe('EIO');
  });

  it('R27: anything else that escapes a store call is internal, never store_failure', async () => {
    const store = storeFailingWith(() => {
      throw new TypeError('a bug, not the disk');
    });
    const answer = await transact(store, 'acme', 'read', async (tx) => ok(await tx.getProduct('p')));
    expect(answer.isErr() && answer.error.code).toBe('internal');
  });

  it('R27: a throw of our own inside the work is internal, and what the work wrote is rolled back', async () => {
    const store = memoryStore();
    const answer = await transact(store, 'acme', 'write', async (tx) => {
      await tx.setProduct(product);
      throw new RangeError('a bug of ours');
    });
    expect(answer.isErr() && answer.error.code).toBe('internal');
    const after = await transact(store, 'acme', 'read', async (tx) => ok(await tx.listProducts()));
    expect(after.isOk() && after.value).toEqual([]);
  });

  it('the work\'s take ends it with the err, rolled back, even when a catch in between swallowed it', async () => {
    const store = memoryStore();
    const answer = await transact(store, 'acme', 'write', async (tx, take) => {
      await tx.setProduct(product);
      try {
        take(err(notFound));
      } catch {
        // best effort: swallowed
      }
      return ok('went on');
    });
    expect(answer.isErr() && answer.error).toEqual(notFound);
    const after = await transact(store, 'acme', 'read', async (tx) => ok(await tx.listProducts()));
    expect(after.isOk() && after.value).toEqual([]);
  });

  it('storeFailureOf keeps a StoreError\'s message and outcome, and wraps anything else as rolled_back', () => {
    expect(storeFailureOf(new StoreError('lost', { outcome: 'unknown' }))).toMatchObject({ code: 'store_failure', message: 'lost', outcome: 'unknown' });
    expect(storeFailureOf(new Error('EIO'))).toMatchObject({ code: 'store_failure', message: 'storage failed: EIO', outcome: 'rolled_back' });
  });
});

import { err, ok, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { storeFailure, type CxError } from '../../src/errors.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { transact } from '../../src/run-transaction.js';

/** A store that runs `work` on `tx` and answers a rejection of `work` as `store_failure`, as stores must. */
function storeOf(tx: object): Store {
  return {
    transaction: async <T>(_domainId: string, _mode: string, work: (tx: StoreTransaction) => PromiseLike<Result<T, CxError>>) => {
      try {
        return await work(tx as StoreTransaction);
      } catch (cause) {
        return err(storeFailure(cause));
      }
    },
  } as unknown as Store;
}

class BaseTransaction {
  async getProduct(): Promise<null> {
    throw new Error('disk on fire');
  }
}
class ClassTransaction extends BaseTransaction {
  async listProducts(): Promise<[]> {
    return [];
  }
}
const literalTransaction = {
  getProduct: async () => {
    throw new Error('disk on fire');
  },
  listProducts: async () => [],
};

describe('transact: whose fault a throw is (R27)', () => {
  for (const [kind, make] of [
    ['a class instance (methods on its prototypes)', () => new ClassTransaction()],
    ['an object literal', () => ({ ...literalTransaction })],
    ['a Proxy around a class instance', () => new Proxy(new ClassTransaction(), {})],
  ] as const) {
    it(`${kind}: a store method's rejection is the store's; a throw of our own is internal; take ends the work`, async () => {
      const store = storeOf(make());
      const rejected = await transact(store, 'acme', 'read', async (tx) => ok(await tx.getProduct('p')));
      expect(rejected.isErr() && rejected.error.code).toBe('store_failure');
      const defect = await transact(store, 'acme', 'read', async (tx) => {
        await tx.listProducts();
        throw new TypeError('a bug of ours');
      });
      expect(defect.isErr() && defect.error.code).toBe('internal');
      const early = await transact(store, 'acme', 'read', async (tx, take) => {
        take(err({ code: 'not_found', message: 'no such thing' } as unknown as CxError));
        return ok(await tx.listProducts());
      });
      expect(early.isErr() && early.error.code).toBe('not_found');
      const fine = await transact(store, 'acme', 'read', async (tx) => ok(await tx.listProducts()));
      expect(fine.isOk() && fine.value).toEqual([]);
    });
  }

  it('a wrapper Proxy around a class instance sees every call (fault injection keeps working)', async () => {
    const seen: PropertyKey[] = [];
    const wrapped = new Proxy(new ClassTransaction(), {
      get(target, key, receiver) {
        if (typeof key === 'string') seen.push(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const answer = await transact(storeOf(wrapped), 'acme', 'read', async (tx) => ok(await tx.listProducts()));
    expect(answer.isOk()).toBe(true);
    expect(seen).toContain('listProducts');
  });
});

import { err, type Result } from 'neverthrow';
import { internalError, type CxError } from './errors.js';
import { earlyErr } from './internal/straight.js';
import type { OperationContext } from './operation-context.js';
import type { Store, StoreTransaction, TransactionMode } from './ports/store.js';

/** Errors that a store method rejected with: those, and only those, are storage failures. */
const storeErrors = new WeakSet<object>();

function markStoreError(error: unknown): unknown {
  const marked = typeof error === 'object' && error !== null ? error : new Error(String(error), { cause: error });
  storeErrors.add(marked);
  return marked;
}

/** Rejects again with the error marked as the store's. */
function rethrowMarked(error: unknown): never {
  throw markStoreError(error);
}

/** The transaction with every method's rejection marked as the store's. */
function marking(tx: StoreTransaction): StoreTransaction {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(tx, {
    get(target, property) {
      const cached = wrapped.get(property);
      if (cached !== undefined) return cached;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (...args: unknown[]) => {
        try {
          const answer = (value as (...a: unknown[]) => unknown).apply(target, args);
          return answer instanceof Promise ? answer.then(undefined, rethrowMarked) : answer;
        } catch (error) {
          throw markStoreError(error);
        }
      };
      wrapped.set(property, method);
      return method;
    },
  });
}

/**
 * Runs `work` in one transaction of `domainId` (read, decide, write). A rejection from a
 * store method is left to the store, which rolls back and answers `store_failure`; an early
 * `err` of `take` (`internal/straight.ts`) ends `work` with that `err`, rolled back; any
 * other throw inside `work` is a defect of ours: rolled back all the same, answered as
 * `internal`.
 */
export function transact<T>(
  store: Store | Pick<OperationContext, 'store'>,
  domainId: string,
  mode: TransactionMode,
  work: (tx: StoreTransaction) => PromiseLike<Result<T, CxError>>,
): Promise<Result<T, CxError>> {
  const target = 'transaction' in store ? store : store.store;
  return target.transaction(domainId, mode, async (tx) => {
    try {
      return await work(marking(tx));
    } catch (error) {
      if (typeof error === 'object' && error !== null && storeErrors.has(error)) throw error;
      // An early `err` of `take` ends the work with that `err`: the store rolls back.
      return earlyErr<CxError>(error) ?? err(internalError(error));
    }
  });
}

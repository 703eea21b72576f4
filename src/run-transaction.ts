import { err, type Result } from 'neverthrow';
import { internalError, type CxError } from './errors.js';
import { straight, type Take } from './internal/straight.js';
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

/** Calls `target[name]`, marking what it throws or rejects with as the store's. */
function callMarked(target: StoreTransaction, name: PropertyKey, args: unknown[]): unknown {
  try {
    const answer = (target as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[name]!(...args);
    return answer instanceof Promise ? answer.then(undefined, rethrowMarked) : answer;
  } catch (error) {
    throw markStoreError(error);
  }
}

type MarkedClass = new (target: StoreTransaction) => StoreTransaction;

/** A marking class per transaction class (prototype), made on first use. */
const markedClasses = new WeakMap<object, MarkedClass>();

/**
 * A class whose instances forward each method of `prototype`'s chain to their target, marked.
 * Each method looks the target's method up by name on every call, so a wrapper of the
 * transaction (a Proxy that injects faults, say) sees every call. Only methods are forwarded:
 * the port is made of methods alone.
 */
function markedClassOf(prototype: object): MarkedClass {
  const Marked = function (this: { target: StoreTransaction }, target: StoreTransaction) {
    this.target = target;
  } as unknown as MarkedClass;
  const names = new Set<PropertyKey>();
  for (let level: object | null = prototype; level !== null && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    for (const name of Reflect.ownKeys(level)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(level, name)?.value === 'function') names.add(name);
    }
  }
  for (const name of names) {
    Object.defineProperty(Marked.prototype, name, {
      value: function (this: { target: StoreTransaction }, ...args: unknown[]) {
        return callMarked(this.target, name, args);
      },
    });
  }
  return Marked;
}

/**
 * The transaction with every method's rejection marked as the store's. A transaction that is
 * an instance of a class with every method on its prototypes (the SQL store's) gets an
 * instance of a marking class made once for that class: plain method calls, no Proxy trap on
 * each. Any other (an object literal, an object with methods of its own) gets a Proxy.
 */
function marking(tx: StoreTransaction): StoreTransaction {
  const prototype: object | null = Object.getPrototypeOf(tx);
  if (prototype !== null && prototype !== Object.prototype && !hasOwnMethods(tx)) {
    let Marked = markedClasses.get(prototype);
    if (!Marked) markedClasses.set(prototype, (Marked = markedClassOf(prototype)));
    return new Marked(tx);
  }
  return markingProxy(tx);
}

function hasOwnMethods(tx: StoreTransaction): boolean {
  for (const name of Reflect.ownKeys(tx)) {
    if (typeof (tx as unknown as Record<PropertyKey, unknown>)[name] === 'function') return true;
  }
  return false;
}

/** The transaction behind a Proxy that marks each method's rejections. */
function markingProxy(tx: StoreTransaction): StoreTransaction {
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
 * Runs `work` in one transaction of `domainId` (read, decide, write). `work` gets its own
 * `take` (see `internal/straight.ts`): the first `err` it meets ends the work with that `err`,
 * and the store rolls back. A rejection from a store method is left to the store, which rolls
 * back and answers `store_failure`; any other throw inside `work` is a defect of ours: rolled
 * back all the same, answered as `internal`.
 */
export function transact<T>(
  store: Store | Pick<OperationContext, 'store'>,
  domainId: string,
  mode: TransactionMode,
  work: (tx: StoreTransaction, take: Take<CxError>) => PromiseLike<Result<T, CxError>>,
): Promise<Result<T, CxError>> {
  const target = 'transaction' in store ? store : store.store;
  return target.transaction(domainId, mode, (tx) =>
    straight<T, CxError>((take) => work(marking(tx), take)).catch((error: unknown) => {
      if (typeof error === 'object' && error !== null && storeErrors.has(error)) throw error;
      return err(internalError(error));
    }),
  );
}

import { ResultAsync } from 'neverthrow';
import { createCxAccounts, type CxAccounts } from '../src/cx-accounts.js';
import type { CxError } from '../src/errors.js';
import type { Store } from '../src/ports/store.js';
import { memoryDirectory } from '../adapters/memory/memory-directory.js';

/**
 * How the conformance suite gets a fresh store for each test, and lets it go.
 *
 * @category Stores
 */
export type StoreFactory<S extends Store = Store> = {
  /** Shown in test names, e.g. `'sqlite :memory:'`. */
  name: string;
  /** A new, empty store. */
  setup: () => Promise<S>;
  /** Releases what `setup` made. */
  teardown: (store: S) => Promise<void>;
};

/**
 * Members known to the fixture's directory: `u1`…`u9` in `acme`, `x1`…`x3` in `globex`.
 *
 * @category Stores
 */
export const FIXTURE_MEMBERS = [
  ...Array.from({ length: 9 }, (_, index) => ({
    domainId: 'acme',
    id: `u${index + 1}`,
    name: `Acme Agent ${index + 1}`,
    email: `agent${index + 1}@acme.test`,
  })),
  ...Array.from({ length: 3 }, (_, index) => ({
    domainId: 'globex',
    id: `x${index + 1}`,
    name: `Globex Agent ${index + 1}`,
    email: `agent${index + 1}@globex.test`,
  })),
];

export const CONTACT_URL_BASE = 'https://talk.example.com/add/';

/**
 * A `CxAccounts` on a store, with a clock the test moves by hand.
 *
 * @category Stores
 */
export type Fixture = {
  cx: CxAccounts;
  store: Store;
  /** The clock's current instant. */
  now: () => Date;
  /** Moves the clock to an instant. */
  setNow: (at: Date | string) => void;
};

/**
 * The error codes each operation answered in this process's conformance tests, by
 * `group.operation`: the suites check them against `OPERATION_ERROR_CODES`, the codes the
 * operations' types declare.
 *
 * @category Stores
 */
export const OBSERVED_ERROR_CODES = new Map<string, Set<string>>();

/** `cx`, recording the code of every error its operations answer (its `as(…)` too). */
function recording(cx: CxAccounts): CxAccounts {
  const groups = new Map<PropertyKey, unknown>();
  return new Proxy(cx, {
    get(target, groupName) {
      const group = Reflect.get(target, groupName) as unknown;
      if (groupName === 'as') return (actor: string) => recording(target.as(actor));
      if (typeof group !== 'object' || group === null) return group;
      if (!groups.has(groupName)) {
        groups.set(
          groupName,
          new Proxy(group, {
            get(operations, name) {
              const operation = Reflect.get(operations, name) as unknown;
              if (typeof operation !== 'function') return operation;
              return (...args: unknown[]) => {
                const answer = (operation as (...a: unknown[]) => unknown).apply(operations, args);
                if (answer instanceof ResultAsync) {
                  return answer.mapErr((error: CxError) => {
                    const key = `${String(groupName)}.${String(name)}`;
                    const codes = OBSERVED_ERROR_CODES.get(key) ?? new Set<string>();
                    codes.add(error.code);
                    OBSERVED_ERROR_CODES.set(key, codes);
                    return error;
                  });
                }
                return answer;
              };
            },
          }),
        );
      }
      return groups.get(groupName);
    },
  });
}

export function makeFixture(store: Store, start: string = '2026-11-25T03:00:00.000Z'): Fixture {
  let now = new Date(start);
  const cx = recording(createCxAccounts({
    store,
    directory: memoryDirectory(FIXTURE_MEMBERS),
    contactUrlBase: CONTACT_URL_BASE,
    clock: () => new Date(now),
  }));
  return {
    cx,
    store,
    now: () => new Date(now),
    setNow: (at) => {
      now = new Date(at);
    },
  };
}

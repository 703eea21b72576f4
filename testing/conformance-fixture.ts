import { createCxAccounts, type CxAccounts } from '../src/cx-accounts.js';
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

export function makeFixture(store: Store, start: string = '2026-11-25T03:00:00.000Z'): Fixture {
  let now = new Date(start);
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory(FIXTURE_MEMBERS),
    contactUrlBase: CONTACT_URL_BASE,
    clock: () => new Date(now),
  });
  return {
    cx,
    store,
    now: () => new Date(now),
    setNow: (at) => {
      now = new Date(at);
    },
  };
}

import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../src/ports/store.js';
import { makeFixture, type Fixture, type StoreFactory } from './conformance-fixture.js';
import { accountCases } from './conformance/accounts.js';
import { agentCases } from './conformance/agents.js';
import { conversationAndResetCases } from './conformance/conversations-and-reset.js';
import { productsAndSeatsCases } from './conformance/products-and-seats.js';
import { robustnessCases } from './conformance/robustness.js';
import { settingsAndReplyCases } from './conformance/settings-and-replies.js';

export type { StoreFactory } from './conformance-fixture.js';

/**
 * Options of {@link describeStoreConformance}.
 *
 * @category Stores
 */
export type ConformanceOptions = {
  /** fast-check runs of the hostile-input property; default 100. Lower it for slow stores. */
  hostileInputRuns?: number;
};

/**
 * Registers the rule suite (R1–R28) as vitest tests against a store. Every test gets a fresh
 * store from `setup` and gives it back to `teardown`. Call it from a vitest test file.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import type { Store } from 'cx-accounts/store';
 * import { describeStoreConformance } from 'cx-accounts/testing';
 *
 * declare function openMyStore(options: { fresh: boolean }): Promise<Store & { close(): Promise<void> }>;
 *
 * describeStoreConformance({
 *   name: 'my store',
 *   setup: () => openMyStore({ fresh: true }),
 *   teardown: (store) => store.close(),
 * });
 * ```
 *
 * @category Stores
 */
export function describeStoreConformance<S extends Store>(factory: StoreFactory<S>, options: ConformanceOptions = {}): void {
  describe(`store conformance: ${factory.name}`, () => {
    let store: S | undefined;
    let fixture: Fixture | undefined;
    beforeEach(async () => {
      store = await factory.setup();
      fixture = makeFixture(store);
    });
    afterEach(async () => {
      if (store) await factory.teardown(store);
      store = undefined;
      fixture = undefined;
    });
    const current = () => {
      if (!fixture) throw new Error('conformance fixture used outside a test');
      return fixture;
    };
    productsAndSeatsCases(current);
    accountCases(current);
    agentCases(current);
    conversationAndResetCases(current);
    settingsAndReplyCases(current);
    robustnessCases(current, { runs: options.hostileInputRuns ?? 100 });
  });
}

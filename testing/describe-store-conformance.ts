import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATION_ERROR_CODES } from '../src/operation-errors.js';
import type { Store } from '../src/ports/store.js';
import { makeFixture, OBSERVED_ERROR_CODES, type Fixture, type StoreFactory } from './conformance-fixture.js';
import { accountCases } from './conformance/accounts.js';
import { adminPageCases } from './conformance/admin-page.js';
import { eventCases } from './conformance/events.js';
import { agentCases } from './conformance/agents.js';
import { conversationAndResetCases } from './conformance/conversations-and-reset.js';
import { productsAndSeatsCases } from './conformance/products-and-seats.js';
import { robustnessCases } from './conformance/robustness.js';
import { roundThreeEdgeCases } from './conformance/round-three-edges.js';
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
  /** Run only these suites (default: all of {@link CONFORMANCE_SUITES}). */
  only?: readonly ConformanceSuite[];
  /** Skip these suites, e.g. while a store is being written. */
  skip?: readonly ConformanceSuite[];
};

/**
 * The named suites of the conformance kit, each a `describe` block of rule tests.
 *
 * @category Stores
 */
export const CONFORMANCE_SUITES = [
  'products',
  'accounts',
  'agents',
  'conversations',
  'settings',
  'events',
  'admin-page',
  'robustness',
  'edges',
] as const;

/**
 * One suite of {@link CONFORMANCE_SUITES}.
 *
 * @category Stores
 */
export type ConformanceSuite = (typeof CONFORMANCE_SUITES)[number];

/**
 * Registers the rule suites (R1–R49 as they apply to a store: {@link CONFORMANCE_SUITES}) as
 * vitest tests against a store. Every test gets a fresh store from `setup` and gives it back
 * to `teardown`. Call it from a vitest test file; pick suites with `only` / `skip`.
 *
 * @example
 * ```ts
 * // my-store.test.ts
 * import type { Store } from 'cx-accounts/store';
 * import { describeStoreConformance } from 'cx-accounts/testing';
 *
 * declare function openMyStore(options: { fresh: boolean }): Promise<Store & { close(): Promise<void> }>;
 *
 * describeStoreConformance(
 *   { name: 'my store', setup: () => openMyStore({ fresh: true }), teardown: (store) => store.close() },
 *   { skip: ['robustness'] },
 * );
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
    const suites: Record<ConformanceSuite, () => void> = {
      products: () => productsAndSeatsCases(current),
      accounts: () => accountCases(current),
      agents: () => agentCases(current),
      conversations: () => conversationAndResetCases(current),
      settings: () => settingsAndReplyCases(current),
      events: () => eventCases(current),
      'admin-page': () => adminPageCases(current),
      robustness: () => robustnessCases(current, { runs: options.hostileInputRuns ?? 100 }),
      edges: () => roundThreeEdgeCases(current),
    };
    for (const name of CONFORMANCE_SUITES) {
      if (options.only && !options.only.includes(name)) continue;
      if (options.skip?.includes(name)) continue;
      suites[name]();
    }
    // Last: every error seen so far is one its operation's type declares (R27).
    describe('declared errors', () => {
      it('R27: every error an operation answered has a code its type declares', () => {
        const undeclared: string[] = [];
        for (const [operation, codes] of OBSERVED_ERROR_CODES) {
          const declared: readonly string[] = (OPERATION_ERROR_CODES as Record<string, readonly string[]>)[operation] ?? [];
          for (const code of codes) if (!declared.includes(code)) undeclared.push(`${operation}: ${code}`);
        }
        expect(OBSERVED_ERROR_CODES.size).toBeGreaterThan(10);
        expect(undeclared).toEqual([]);
      });
    });
  });
}

/**
 * The store conformance suite: `cx-accounts/testing`.
 *
 * Authors of a store call {@link describeStoreConformance} from a vitest test file; it
 * registers the rule tests (R1–R28) and runs each against a fresh store. Our own stores use
 * it the same way.
 *
 * It imports five optional peers of the package, to install as devDependencies: `vitest`,
 * `fast-check`, and the independent oracles `csv-parse` (reads backup files back),
 * `cloudevents` and `standardwebhooks` (verify webhook deliveries).
 *
 * @module cx-accounts/testing
 */
export {
  describeStoreConformance,
  CONFORMANCE_SUITES,
  type ConformanceOptions,
  type ConformanceSuite,
  type StoreFactory,
} from './describe-store-conformance.js';
export { replayEvents, type ReplayedDomain } from './event-replay.js';
export { readAllEvents, expectGapFree } from './conformance/events.js';
export { describeBackupConformance } from './conformance/backups.js';
export {
  hookedStore,
  historyFixture,
  parseBackup,
  parseJsonlBackup,
  type HistoryFixture,
  type MutableDirectory,
  type HistoryRead,
  type HistoryReadHooks,
} from './backup-fixture.js';

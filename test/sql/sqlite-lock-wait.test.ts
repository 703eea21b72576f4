import { sqliteLockWaitCases } from '../runtimes/support/sqlite-lock-wait-cases.js';

// R49 (issue 19 item 5) on this Node's default driver; the runtime matrix runs the same cases on
// node:sqlite and bun:sqlite (test/runtimes/runtime-matrix.test.ts).
sqliteLockWaitCases(undefined);

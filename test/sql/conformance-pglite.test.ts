import { describeStoreConformance } from '../../testing/describe-store-conformance.js';
import { pgliteFactory, useSqlStoreCleanup } from '../stores/sql-stores.js';

// The rule suite (R1–R28) on PGlite: one instance for the file, emptied between tests.
useSqlStoreCleanup();
describeStoreConformance(pgliteFactory, { hostileInputRuns: 30 });

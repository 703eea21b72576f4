import { describeStoreConformance } from '../../testing/describe-store-conformance.js';
import { sqliteFileFactory, sqliteMemoryFactory } from '../stores/sql-stores.js';

// The rule suite (R1–R28) on SQLite, in memory and in a file.
describeStoreConformance(sqliteMemoryFactory, { hostileInputRuns: 100 });
describeStoreConformance(sqliteFileFactory, { hostileInputRuns: 30 });

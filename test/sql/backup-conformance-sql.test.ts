import { describe } from 'vitest';
import { describeBackupConformance } from '../../testing/index.js';
import { checkAvailable, sqlStoreFactories, useSqlStoreCleanup } from '../stores/sql-stores.js';

// The history backup cases (R25, R26) on every SQL store.
useSqlStoreCleanup();
for (const factory of sqlStoreFactories) {
  if (await checkAvailable(factory)) describeBackupConformance(factory);
  else describe.skip(`backup conformance: ${factory.name}`, () => {});
}

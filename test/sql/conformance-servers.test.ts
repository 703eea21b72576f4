import { describe } from 'vitest';
import { describeStoreConformance } from '../../testing/describe-store-conformance.js';
import { checkAvailable, mysqlFactory, postgresFactory, useSqlStoreCleanup } from '../stores/sql-stores.js';

// The rule suite (R1–R28) on the PostgreSQL and MariaDB servers, each in a scratch database.
useSqlStoreCleanup();
for (const factory of [postgresFactory, mysqlFactory]) {
  if (await checkAvailable(factory)) describeStoreConformance(factory, { hostileInputRuns: 30 });
  else describe.skip(`store conformance: ${factory.name}`, () => {});
}

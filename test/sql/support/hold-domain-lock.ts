/**
 * A second process for the R49 tests: opens a store, takes a domain's write lock (a write
 * transaction that waits), says `locked` on stdout, and holds the lock until a line comes on
 * stdin; then commits, says how it went, closes the store and exits.
 *
 * Usage: `node --import tsx hold-domain-lock.ts '{"kind":"postgres","target":"postgres://…","domainId":"acme"}'`
 */
import { ok } from 'neverthrow';
import { openMysql } from '../../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../../adapters/sql/sqlite/open-sqlite.js';

type Target = { kind: 'postgres' | 'mysql' | 'sqlite'; target: string; domainId: string };
const { kind, target, domainId } = JSON.parse(process.argv[2] ?? '{}') as Target;

const store =
  kind === 'postgres' ? await openPostgres({ connectionString: target }) : kind === 'mysql' ? await openMysql({ uri: target }) : await openSqlite(target);

const release = new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const result = await store.transaction(domainId, 'write', async (tx) => {
  await tx.setProduct({ productId: 'held', name: 'Held', seatLimit: 1, quantity: 1 });
  process.stdout.write('locked\n');
  await release;
  return ok('committed');
});
process.stdout.write(`${result.isOk() ? result.value : `failed: ${result.error.code} ${result.error.message}`}\n`);
await store.close();
process.stdin.destroy();

/**
 * A process for the R49 close test: opens a store, makes many calls at once (more writes than
 * the pool has connections, reads, a history stream), calls `close()` while they are in
 * flight, then awaits them all at top level and prints what each answered as one JSON line.
 * A call that never settles ends the process with exit code 13 (unsettled top-level await).
 *
 * Usage: `node --import tsx close-in-flight.ts '{"kind":"postgres","target":"postgres://…"}'`
 */
import { ok } from 'neverthrow';
import { openMysql } from '../../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../../adapters/sql/sqlite/open-sqlite.js';

type Target = { kind: 'postgres' | 'mysql' | 'sqlite'; target: string };
const { kind, target } = JSON.parse(process.argv[2] ?? '{}') as Target;

const store =
  kind === 'postgres'
    ? await openPostgres({ connectionString: target, poolSize: 2 })
    : kind === 'mysql'
      ? await openMysql({ uri: target, poolSize: 2 })
      : await openSqlite(target);

const CALLS = 24;
const calls: Promise<string>[] = [];
for (let index = 0; index < CALLS; index++) {
  const domainId = `domain${index % 4}`;
  if (index % 3 === 2) {
    calls.push(store.transaction(domainId, 'read', async (tx) => ok(await tx.listProducts())).then((result) => (result.isOk() ? 'ok' : result.error.code)));
  } else {
    calls.push(
      store
        .transaction(domainId, 'write', async (tx) => {
          await tx.setProduct({ productId: `p${index}`, name: `P${index}`, seatLimit: 1, quantity: 1 });
          return ok(undefined);
        })
        .then((result) => (result.isOk() ? 'ok' : result.error.code)),
    );
  }
}
const stream = (async () => {
  try {
    for await (const _ of store.readBackupChunks('domain0', 'none.1')) {
      // Nothing stored: the stream ends at once.
    }
    return 'ok';
  } catch (error) {
    return `rejected: ${error instanceof Error ? error.message : String(error)}`;
  }
})();

const closed = store.close();
const afterClose = store.transaction('domain0', 'read', async () => ok(undefined)).then((result) => (result.isOk() ? 'ok' : result.error.code));
await closed;
const answers = await Promise.all(calls);
process.stdout.write(`${JSON.stringify({ answers, stream: await stream, afterClose: await afterClose })}\n`);

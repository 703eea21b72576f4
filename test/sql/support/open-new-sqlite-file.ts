/**
 * A process for the R49 test of several processes opening a new SQLite file at once: loads
 * everything, says `ready`, waits for a line on stdin, then opens the file, writes one product,
 * closes, and says `opened` (or `failed: …`, exit code 1).
 *
 * Usage: `node --import tsx open-new-sqlite-file.ts /tmp/file.sqlite worker-3`
 */
import { ok } from 'neverthrow';
import { openSqlite } from '../../../adapters/sql/sqlite/open-sqlite.js';

const [file, worker] = process.argv.slice(2) as [string, string];
await import('better-sqlite3');
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.destroy();
try {
  const store = await openSqlite(file);
  const written = await store.transaction('acme', 'write', async (tx) => {
    await tx.setProduct({ productId: worker, name: worker, seatLimit: 1, quantity: 1 });
    return ok(undefined);
  });
  await store.close();
  if (written.isErr()) throw new Error(written.error.message);
  process.stdout.write('opened\n');
} catch (error) {
  process.stdout.write(`failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

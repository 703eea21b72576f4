/**
 * A second process for the erasure fault tests: runs one backup job with a store whose chunk
 * writes are slowed down, printing `append <seq> <stored>` after each chunk write. Before its
 * fifth chunk write it says `frozen` and stops itself (SIGSTOP), so the parent can take the
 * job over or erase a customer, let it go on (SIGCONT: the write it was about to make comes
 * next) and kill it (SIGKILL) right after that write.
 *
 * Usage: `node --import tsx slow-backup-runner.ts '{"kind":"postgres","target":"postgres://…","domainId":"acme","jobId":"…"}'`
 */
import { memoryDirectory } from '../../../adapters/memory/memory-directory.js';
import { openMysql } from '../../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../../adapters/sql/postgres/open-postgres.js';
import { createCxAccounts } from '../../../src/cx-accounts.js';
import type { Store } from '../../../src/ports/store.js';

type Target = { kind: 'postgres' | 'mysql'; target: string; domainId: string; jobId: string };
const { kind, target, domainId, jobId } = JSON.parse(process.argv[2] ?? '{}') as Target;

const inner = kind === 'postgres' ? await openPostgres({ connectionString: target }) : await openMysql({ uri: target });
let chunks = 0;
const store: Store = {
  transaction: (...args) => inner.transaction(...args),
  appendBackupChunk: async (...args) => {
    if (chunks === 4) {
      // Frozen right before its fifth chunk write, as a process stopped by the host would be.
      process.stdout.write('frozen\n');
      process.kill(process.pid, 'SIGSTOP');
    }
    const stored = await inner.appendBackupChunk(...args);
    process.stdout.write(`append ${chunks++} ${stored !== false}\n`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return stored;
  },
  readBackupChunks: (...args) => inner.readBackupChunks(...args),
  deleteBackupChunks: (...args) => inner.deleteBackupChunks(...args),
  listRunnableBackupJobs: (...args) => inner.listRunnableBackupJobs(...args),
  listExpiredBackupJobs: (...args) => inner.listExpiredBackupJobs(...args),
};
const cx = createCxAccounts({
  store,
  directory: memoryDirectory([]),
  contactUrlBase: 'https://talk.example.com/add/',
  backups: { runner: 'manual', pageSize: 5, chunkBytes: 200, staleAfterMs: 60_000 },
});
const ran = await cx.history.runBackup(domainId, jobId);
process.stdout.write(`done ${ran.isOk() ? ran.value.status : ran.error.code}\n`);
await inner.close();

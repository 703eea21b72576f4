import type { StoreTransaction } from '../ports/store.js';
import { backupFileIds, backupHistoryFilter } from './backup-job.js';

/**
 * Keeps an erased customer out of the backups still being made (R42), inside the erasure's
 * transaction, before the customer's messages are deleted: every `running` job whose file
 * takes any of the customer's messages loses the chunks its attempts wrote (in the same commit)
 * and goes back to `pending`, with the same watermark. Its runner, at its next chunk or
 * progress record, finds it no longer holds the job and stops; the next run writes the file
 * again from the history as it is after the erasure: the same point in time, without the
 * customer, and an exact `rowsTotal` (R45, R46). A `pending` job has no file yet, and will
 * read the history after the erasure. Jobs whose file takes none of the customer's messages
 * go on untouched. The chunks a runner left of a `failed` or `cancelled` job are deleted too.
 * Answers the ids of the jobs sent back.
 *
 * @example
 * ```ts
 * import type { StoreTransaction } from 'cx-accounts/store';
 *
 * declare const tx: StoreTransaction;
 * const restarted = await restartBackupsHoldingCustomer(tx, 'c1');
 * await tx.eraseCustomer('c1');
 * ```
 */
export async function restartBackupsHoldingCustomer(tx: StoreTransaction, customerId: string): Promise<string[]> {
  const restarted: string[] = [];
  for (const job of await tx.listBackupJobs(['running', 'failed', 'cancelled'])) {
    // A failed or cancelled job has no file to keep: what a runner left of it (its cleanup is
    // best effort) goes now rather than at expiry.
    if (job.status !== 'running') {
      if (job.attempt > 0) await tx.deleteBackupFiles(backupFileIds(job.jobId, job.attempt));
      continue;
    }
    if (job.watermark === null) continue;
    const holds = await tx.countHistory({ ...backupHistoryFilter(job, job.watermark), customerId });
    if (holds === 0) continue;
    // The job's row first, its chunks after: the order in which a chunk's writer locks them.
    await tx.requeueBackupJob(job.jobId);
    await tx.deleteBackupFiles(backupFileIds(job.jobId, job.attempt));
    restarted.push(job.jobId);
  }
  return restarted;
}

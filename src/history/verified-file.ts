import type { BackupJobRecord } from '../ports/records.js';
import type { Store } from '../ports/store.js';
import { backupFileId } from './backup-job.js';

/**
 * A `ready` job's stored file, checked against the size recorded on the job as it is read:
 * when the stored chunks end short (the file was deleted meanwhile, e.g. by the retention
 * cleanup) or run long, the iteration throws instead of ending quietly (R49). Each iteration
 * reads the store anew.
 *
 * @example
 * ```ts
 * declare const job: import('cx-accounts/store').BackupJobRecord;
 * declare const response: import('node:http').ServerResponse;
 * try {
 *   for await (const chunk of verifiedFile(store, job)) response.write(chunk);
 * } catch (error) {
 *   response.destroy(error as Error); // the client sees a broken download, never a short file
 * }
 * ```
 */
export function verifiedFile(store: Store, job: BackupJobRecord): AsyncIterable<Uint8Array> {
  const fileId = backupFileId(job.jobId, job.attempt);
  const expected = job.byteLength ?? 0;
  return {
    async *[Symbol.asyncIterator]() {
      let delivered = 0;
      for await (const chunk of store.readBackupChunks(job.domainId, fileId)) {
        delivered += chunk.byteLength;
        if (delivered > expected) throw incomplete(job.jobId, delivered, expected);
        yield chunk;
      }
      if (delivered !== expected) throw incomplete(job.jobId, delivered, expected);
    },
  };
}

function incomplete(jobId: string, delivered: number, expected: number): Error {
  return new Error(
    `backup ${JSON.stringify(jobId)}: the stored file has ${delivered < expected ? 'only ' : ''}${delivered} of its ${expected} bytes; it was deleted or changed while being read (e.g. it expired)`,
  );
}

import type { BackupJobRecord, BackupStatus } from '../ports/records.js';

const DAY_MS = 86_400_000;

/**
 * A history backup job as `history.startBackup` and `history.job` answer it (R25).
 *
 * `pending` → `running` → `ready` (the file can be downloaded until `expiresAt`), or `failed`
 * with a `failureReason`.
 *
 * @category History
 */
export type BackupJob = {
  id: string;
  status: BackupStatus;
  requestedAt: Date;
  /** When the current (or last) attempt started; `null` while `pending`. */
  startedAt: Date | null;
  /** When the file was complete; `null` unless `ready`. */
  readyAt: Date | null;
  /** Size of the file in bytes (BOM included), for a `Content-Length`; `null` unless `ready`. */
  byteLength: number | null;
  /**
   * When the job and its file will be deleted (retention, see `BackupOptions.retentionDays`):
   * `readyAt` + retention for a `ready` job, `requestedAt` + retention for a `failed` one;
   * `null` while the job is `pending` or `running`.
   */
  expiresAt: Date | null;
  /** Why the job failed; only on `failed` jobs. */
  failureReason?: string;
};

/**
 * The public view of a stored job, given the retention in days.
 *
 * @category History
 */
export function viewBackupJob(record: BackupJobRecord, retentionDays: number): BackupJob {
  const retentionMs = retentionDays * DAY_MS;
  const expiresFrom = record.status === 'ready' ? record.readyAt : record.status === 'failed' ? record.requestedAt : null;
  const job: BackupJob = {
    id: record.jobId,
    status: record.status,
    requestedAt: record.requestedAt,
    startedAt: record.startedAt,
    readyAt: record.status === 'ready' ? record.readyAt : null,
    byteLength: record.status === 'ready' ? record.byteLength : null,
    expiresAt: expiresFrom ? new Date(expiresFrom.getTime() + retentionMs) : null,
  };
  if (record.status === 'failed') job.failureReason = record.failureReason ?? 'unknown failure';
  return job;
}

/**
 * The id under which the file of one attempt of a job is stored: `<jobId>.<attempt>`. Each
 * attempt writes its own file, so a runner that was taken over for being silent too long (but
 * was not dead) can never mix its chunks into the file of the runner that took over.
 *
 * @category History
 */
export function backupFileId(jobId: string, attempt: number): string {
  return `${jobId}.${attempt}`;
}

/** A new job as `history.startBackup` records it: pending, never started. */
export function pendingBackupJob(domainId: string, jobId: string, requestedAt: Date): BackupJobRecord {
  return {
    domainId,
    jobId,
    status: 'pending',
    requestedAt,
    startedAt: null,
    readyAt: null,
    failureReason: null,
    byteLength: null,
    attempt: 0,
    heartbeatAt: null,
  };
}

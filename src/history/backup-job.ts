import type { BackupFilter, BackupFormat, BackupJobRecord, BackupStatus, HistoryFilter } from '../ports/records.js';
import { DAY_MS } from '../internal/durations.js';


/**
 * A history backup job as `history.startBackup`, `history.job` and `history.cancel` answer it
 * (R25, R45, R46).
 *
 * `pending` → `running` → `ready` (the file can be downloaded until `expiresAt`), or `failed`
 * with a `failureReason`, or `cancelled` by `history.cancel`.
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
   * `readyAt` + retention for a `ready` job, `requestedAt` + retention for a `failed` or
   * `cancelled` one; `null` while the job is `pending` or `running`. From then on the job
   * answers `not_found`.
   */
  expiresAt: Date | null;
  /** Why the job failed; only on `failed` jobs. */
  failureReason?: string;
  /** `csv` (R26) or `jsonl` (R45): pick the download's content type from it. */
  format: BackupFormat;
  /** Which messages the file takes (R45); `null` fields do not narrow. */
  filter: BackupFilter;
  /** Rows written so far (R46); equals `rowsTotal` once `ready`. */
  rowsDone: number;
  /** Rows the file will hold (R46); `null` until a runner has taken the job up. */
  rowsTotal: number | null;
};

/** Statuses a job never leaves. */
export const FINISHED_BACKUP_STATUSES: readonly BackupStatus[] = ['ready', 'failed', 'cancelled'];

/**
 * When a stored job expires (see {@link BackupJob.expiresAt}), or `null` while it is not finished.
 *
 * @example
 * ```ts
 * import type { BackupJobRecord } from 'cx-accounts/store';
 *
 * declare const job: BackupJobRecord;
 * backupExpiresAt({ ...job, status: 'ready', readyAt: new Date('2026-11-25T00:00:00Z') }, 7); // 2026-12-02T00:00:00Z
 * ```
 */
export function backupExpiresAt(record: BackupJobRecord, retentionDays: number): Date | null {
  const from = record.status === 'ready' ? record.readyAt : record.status === 'failed' || record.status === 'cancelled' ? record.requestedAt : null;
  return from ? new Date(from.getTime() + retentionDays * DAY_MS) : null;
}

/**
 * Whether a stored job is past its retention at `now`, deleted or not yet (R49): such a job
 * answers `not_found`.
 *
 * @example
 * ```ts
 * import type { BackupJobRecord } from 'cx-accounts/store';
 *
 * declare const job: BackupJobRecord;
 * const expired = isBackupExpired(job, 7, new Date()); // true: answer not_found (entity backup)
 * ```
 */
export function isBackupExpired(record: BackupJobRecord, retentionDays: number, now: Date): boolean {
  const expiresAt = backupExpiresAt(record, retentionDays);
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/**
 * The public view of a stored job, given the retention in days.
 *
 * @example
 * ```ts
 * import type { BackupJobRecord } from 'cx-accounts/store';
 *
 * declare const record: BackupJobRecord;
 * const view = viewBackupJob(record, 7); // { id, status, …, expiresAt, format, filter, rowsDone, rowsTotal }
 * ```
 *
 * @category History
 */
export function viewBackupJob(record: BackupJobRecord, retentionDays: number): BackupJob {
  const job: BackupJob = {
    id: record.jobId,
    status: record.status,
    requestedAt: record.requestedAt,
    startedAt: record.startedAt,
    readyAt: record.status === 'ready' ? record.readyAt : null,
    byteLength: record.status === 'ready' ? record.byteLength : null,
    expiresAt: backupExpiresAt(record, retentionDays),
    format: record.format,
    filter: { from: record.filter.from, to: record.filter.to, accountIds: record.filter.accountIds ? [...record.filter.accountIds] : null },
    rowsDone: record.rowsDone,
    rowsTotal: record.rowsTotal,
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

/**
 * The ids of the files of every attempt a job has had, `<jobId>.1` to `<jobId>.<attempt>`: what
 * deleting a job's file means, since a runner that was taken over may have written its own
 * (R42: no chunk of any attempt outlives its job).
 *
 * @example
 * ```ts
 * backupFileIds('job', 3); // ['job.1', 'job.2', 'job.3']
 * ```
 *
 * @category History
 */
export function backupFileIds(jobId: string, attempts: number): string[] {
  return Array.from({ length: Math.max(0, attempts) }, (_, index) => backupFileId(jobId, index + 1));
}

/**
 * The messages a job's file holds: its filter, up to its watermark (R45).
 *
 * @example
 * ```ts
 * import type { BackupJobRecord } from 'cx-accounts/store';
 *
 * declare const job: BackupJobRecord;
 * const filter = backupHistoryFilter(job, job.watermark ?? 0); // { upToEventSeq, accountIds?, from?, to? }
 * ```
 *
 * @category History
 */
export function backupHistoryFilter(job: BackupJobRecord, watermark: number): HistoryFilter {
  const filter: HistoryFilter = { upToEventSeq: watermark };
  if (job.filter.accountIds) filter.accountIds = job.filter.accountIds;
  if (job.filter.from) filter.from = job.filter.from;
  if (job.filter.to) filter.to = job.filter.to;
  return filter;
}

/** Takes every message (R25): the filter of a backup started without options. */
export const WHOLE_HISTORY: BackupFilter = Object.freeze({ from: null, to: null, accountIds: null });

/**
 * A new job as `history.startBackup` records it: pending, never started, no watermark yet.
 *
 * @example
 * ```ts
 * const record = pendingBackupJob('acme', crypto.randomUUID(), new Date(), { filter: { from: null, to: null, accountIds: ['help'] }, format: 'jsonl' });
 * ```
 */
export function pendingBackupJob(
  domainId: string,
  jobId: string,
  requestedAt: Date,
  request: { filter?: BackupFilter; format?: BackupFormat } = {},
): BackupJobRecord {
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
    filter: request.filter ? { ...request.filter, accountIds: request.filter.accountIds ? [...request.filter.accountIds] : null } : { ...WHOLE_HISTORY },
    format: request.format ?? 'csv',
    watermark: null,
    rowsDone: 0,
    rowsTotal: null,
  };
}

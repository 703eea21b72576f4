import { err, ok, type Result } from 'neverthrow';
import * as z from 'zod';
import type { CxError } from '../errors.js';
import { parseInput } from '../validation/parse-input.js';
import { DEFAULT_CHUNK_BYTES, MIN_CHUNK_BYTES } from './history-csv.js';

/**
 * How history backups run: `createCxAccounts({ …, backups: { … } })`. Every field is optional.
 *
 * **Runner.** With `runner: 'in-process'` (the default) `history.startBackup` answers the
 * `pending` job at once and the same process runs it in the background, one job at a time.
 * With `runner: 'manual'` nothing runs by itself: the host's own job system calls
 * `history.runBackup(domainId, jobId)` (e.g. from a queue message sent after `startBackup`) or
 * `history.runPendingBackups()` (e.g. from a cron job). Both can also be used with the
 * in-process runner.
 *
 * **Stopped processes.** A running job renews a heartbeat while it works. A `running` job
 * whose heartbeat is older than `staleAfterMs` (its process died) is taken up again by the next
 * runner — `runPendingBackups()`, `runBackup()`, or with the in-process runner the first
 * history call of a process and any `history.job` that finds it — until `maxAttempts` attempts
 * were made; then it is marked `failed`. No job stays `running` for ever.
 *
 * **Retention.** The file of a `ready` job, and the job itself, are deleted `retentionDays`
 * after `readyAt`; a `failed` job `retentionDays` after `requestedAt`. After that `history.job`
 * answers `not_found`. Expired backups are deleted by `history.deleteExpiredBackups()`, by
 * `runPendingBackups()`, and with the in-process runner after every job it runs.
 *
 * @example
 * ```ts
 * const cx = createCxAccounts({ store, directory, contactUrlBase, backups: { runner: 'manual', retentionDays: 3 } });
 * // in the host's worker:
 * await cx.history.runPendingBackups();
 * ```
 *
 * @category History
 */
export type BackupOptions = {
  /** Who runs pending jobs: this process in the background (default), or the host (`'manual'`). */
  runner?: 'in-process' | 'manual';
  /** Days a finished backup is kept (may be fractional); default 7. */
  retentionDays?: number;
  /** A `running` job with no heartbeat for this long is taken over; default 5 minutes (at least 1 second). */
  staleAfterMs?: number;
  /** Attempts before a job whose runners keep stopping is marked `failed`; default 3. */
  maxAttempts?: number;
  /** Size of the stored chunks of a file; default 64 KiB. */
  chunkBytes?: number;
  /**
   * Messages read per transaction while a file is written (1–100,000; default 2000). Between
   * pages the runner records its progress, notices a cancel, and lets the host's timers and I/O
   * run (R46, R49). Larger pages save round trips to a database server but keep more rows alive
   * while a page is encoded: at 5000 the garbage collector's copying cost more than the pages
   * saved (SQLite, 1,000,000 messages).
   */
  pageSize?: number;
};

/**
 * {@link BackupOptions} with every default filled in.
 *
 * @category History
 */
export type ResolvedBackupOptions = Required<BackupOptions>;

export const DEFAULT_BACKUP_OPTIONS: ResolvedBackupOptions = {
  runner: 'in-process',
  retentionDays: 7,
  staleAfterMs: 5 * 60_000,
  maxAttempts: 3,
  chunkBytes: DEFAULT_CHUNK_BYTES,
  pageSize: 2000,
};

const backupOptionsSchema = z
  .strictObject({
    runner: z.enum(['in-process', 'manual']).optional(),
    retentionDays: z.number().positive('must be more than 0').max(36_500, 'at most 36500 days').optional(),
    staleAfterMs: z.number().int('must be a whole number').min(1000, 'at least 1000 ms').max(7 * 86_400_000).optional(),
    maxAttempts: z.number().int('must be a whole number').min(1).max(100).optional(),
    chunkBytes: z.number().int('must be a whole number').min(MIN_CHUNK_BYTES).max(16 * 1024 * 1024).optional(),
    pageSize: z.number().int('must be a whole number').min(1).max(100_000).optional(),
  })
  .optional();

/**
 * Checks the `backups` option and fills in the defaults; issues are reported under `options.backups`.
 *
 * @category History
 */
export function resolveBackupOptions(options: unknown): Result<ResolvedBackupOptions, CxError> {
  const parsed = parseInput(backupOptionsSchema, options, 'options.backups');
  if (parsed.isErr()) return err(parsed.error);
  const given = parsed.value ?? {};
  return ok({
    runner: given.runner ?? DEFAULT_BACKUP_OPTIONS.runner,
    retentionDays: given.retentionDays ?? DEFAULT_BACKUP_OPTIONS.retentionDays,
    staleAfterMs: given.staleAfterMs ?? DEFAULT_BACKUP_OPTIONS.staleAfterMs,
    maxAttempts: given.maxAttempts ?? DEFAULT_BACKUP_OPTIONS.maxAttempts,
    chunkBytes: given.chunkBytes ?? DEFAULT_BACKUP_OPTIONS.chunkBytes,
    pageSize: given.pageSize ?? DEFAULT_BACKUP_OPTIONS.pageSize,
  });
}

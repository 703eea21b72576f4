import type { Kysely } from 'kysely';
import type { BackupJobRecord } from '../../src/ports/records.js';
import type { CxDatabase } from './cx-database.js';
import { rowToBackupJob } from './record-rows.js';
import { toMillis } from './row-values.js';
import type { Exclusive } from './transaction-runner.js';

/** At most this many jobs per call, whatever the caller asks. */
const MAX_LIMIT = 10_000;

function clampLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.min(MAX_LIMIT, Math.floor(limit))) : MAX_LIMIT;
}

/**
 * Any domain: `pending` jobs, and `running` jobs whose heartbeat is before `staleBefore`,
 * oldest `requestedAt` first (ties by `jobId`), at most `limit`.
 */
export async function listRunnableBackupJobs(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  staleBefore: Date,
  limit: number,
): Promise<BackupJobRecord[]> {
  const count = clampLimit(limit);
  if (count === 0) return [];
  const stale = toMillis(staleBefore);
  const rows = await exclusive(() =>
    db
      .selectFrom('cx_backup_jobs')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('status', '=', 'pending'),
          eb.and([eb('status', '=', 'running'), eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', stale)])]),
        ]),
      )
      .orderBy('requested_at')
      .orderBy('job_id')
      .limit(count)
      .execute(),
  );
  return rows.map(rowToBackupJob);
}

/**
 * Any domain: `ready` jobs whose `readyAt` is before `before`, and `failed` jobs requested
 * before it, oldest `requestedAt` first (ties by `jobId`), at most `limit`.
 */
export async function listExpiredBackupJobs(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  before: Date,
  limit: number,
): Promise<BackupJobRecord[]> {
  const count = clampLimit(limit);
  if (count === 0) return [];
  const cutoff = toMillis(before);
  const rows = await exclusive(() =>
    db
      .selectFrom('cx_backup_jobs')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'ready'), eb('ready_at', 'is not', null), eb('ready_at', '<', cutoff)]),
          eb.and([eb('status', '=', 'failed'), eb('requested_at', '<', cutoff)]),
        ]),
      )
      .orderBy('requested_at')
      .orderBy('job_id')
      .limit(count)
      .execute(),
  );
  return rows.map(rowToBackupJob);
}

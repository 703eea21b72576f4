import type { ExpressionBuilder, ExpressionWrapper, Kysely, SqlBool } from 'kysely';
import type { BackupJobRecord } from '../../../src/ports/records.js';
import type { CxDatabase } from '../cx-database.js';
import { rowToBackupJob } from './record-rows.js';
import { toMillis } from './row-values.js';
import type { Exclusive } from './exclusive.js';

/** At most this many jobs per call, whatever the caller asks. */
const MAX_LIMIT = 10_000;

function clampLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.min(MAX_LIMIT, Math.floor(limit))) : MAX_LIMIT;
}

type JobFilter = (eb: ExpressionBuilder<CxDatabase, 'cx_backup_jobs'>) => ExpressionWrapper<CxDatabase, 'cx_backup_jobs', SqlBool>;

/** Jobs of any domain that pass `filter`, oldest `requestedAt` first (ties by `jobId`), at most `limit`. */
async function listJobs(db: Kysely<CxDatabase>, exclusive: Exclusive, limit: number, filter: JobFilter): Promise<BackupJobRecord[]> {
  const count = clampLimit(limit);
  if (count === 0) return [];
  const rows = await exclusive(() =>
    db.selectFrom('cx_backup_jobs').selectAll().where(filter).orderBy('requested_at').orderBy('job_id').limit(count).execute(),
  );
  return rows.map(rowToBackupJob);
}

/**
 * Any domain: `pending` jobs, and `running` jobs whose heartbeat is before `staleBefore`,
 * oldest `requestedAt` first (ties by `jobId`), at most `limit`.
 */
export function listRunnableBackupJobs(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  staleBefore: Date,
  limit: number,
): Promise<BackupJobRecord[]> {
  const stale = toMillis(staleBefore);
  return listJobs(db, exclusive, limit, (eb) =>
    eb.or([
      eb('status', '=', 'pending'),
      eb.and([eb('status', '=', 'running'), eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', stale)])]),
    ]),
  );
}

/**
 * Any domain: `ready` jobs whose `readyAt` is before `before`, and `failed` and `cancelled`
 * jobs requested before it, oldest `requestedAt` first (ties by `jobId`), at most `limit`.
 */
export function listExpiredBackupJobs(
  db: Kysely<CxDatabase>,
  exclusive: Exclusive,
  before: Date,
  limit: number,
): Promise<BackupJobRecord[]> {
  const cutoff = toMillis(before);
  return listJobs(db, exclusive, limit, (eb) =>
    eb.or([
      eb.and([eb('status', '=', 'ready'), eb('ready_at', 'is not', null), eb('ready_at', '<', cutoff)]),
      eb.and([eb('status', 'in', ['failed', 'cancelled']), eb('requested_at', '<', cutoff)]),
    ]),
  );
}

import { err, ok, type Result } from 'neverthrow';
import { storeFailure, type CxError } from '../errors.js';
import { newEvent } from '../events/new-event.js';
import type { BackupJobRecord, HistoryExportRow } from '../ports/records.js';
import type { Store } from '../ports/store.js';
import { backupFileId } from './backup-job.js';
import type { ResolvedBackupOptions } from './backup-options.js';
import { encodeHistoryCsv } from './history-csv.js';

const DAY_MS = 86_400_000;

/**
 * What one pass of `history.runPendingBackups` did.
 *
 * @category History
 */
export type BackupRunReport = {
  /** Jobs that became `ready`. */
  ready: number;
  /** Jobs that became `failed`. */
  failed: number;
  /** Jobs another runner took (or finished) first. */
  skipped: number;
  /** Expired jobs deleted with their files. */
  deleted: number;
};

/**
 * Runs backup jobs against a store. Every method answers a `Result` and never rejects.
 *
 * @category History
 */
export type BackupRunner = {
  /**
   * Takes up the job when it is `pending`, or `running` with a stale heartbeat, and runs it to
   * its end. Answers the job as it is afterwards (`null` when there is no such job); a job that
   * another runner holds is answered as it is, untouched.
   */
  run(domainId: string, jobId: string): Promise<Result<BackupJobRecord | null, CxError>>;
  /** Runs the runnable jobs of every domain one after another, then deletes expired backups. */
  runPending(limit: number): Promise<Result<BackupRunReport, CxError>>;
  /** Deletes expired jobs and their files; answers how many. */
  deleteExpired(limit: number): Promise<Result<number, CxError>>;
  /** Whether a job read now should be taken up by a runner (its process is gone). */
  isAbandoned(job: BackupJobRecord): boolean;
};

/** A failure of one step of a backup, for the job's `failureReason`. */
class BackupStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`${step} failed: ${describe(cause)}`);
  }
}

/** What running a job came to: the job as it is afterwards, and what this runner did. */
type RunOutcome = { job: BackupJobRecord | null; result: 'ready' | 'failed' | 'skipped' };

/** Outcome of trying to take a job. */
type Claim =
  | { kind: 'missing' }
  | { kind: 'busy'; job: BackupJobRecord }
  | { kind: 'claimed'; job: BackupJobRecord; previousFileId: string | null }
  | { kind: 'gave_up'; job: BackupJobRecord; previousFileId: string | null };

/**
 * The runner of history backups (R25, R26): claims a job in a write transaction (its attempt
 * number is the lease), streams the domain's history through the CSV encoder into stored
 * chunks, renews a heartbeat as it goes, and marks the job `ready` or `failed` — in both cases
 * only while it still holds the lease.
 *
 * @category History
 */
export function backupRunner(store: Store, clock: () => Date, options: ResolvedBackupOptions): BackupRunner {
  const heartbeatEveryMs = Math.max(1, Math.floor(options.staleAfterMs / 5));
  // The runner acts for nobody: its events carry `actor: null`.
  const system = { clock, actor: null };
  const isStale = (job: BackupJobRecord, now: Date) =>
    job.status === 'running' && (job.heartbeatAt === null || now.getTime() - job.heartbeatAt.getTime() > options.staleAfterMs);

  const claim = (domainId: string, jobId: string) =>
    store.transaction<Claim>(domainId, 'write', async (tx) => {
      const job = await tx.getBackupJob(jobId);
      if (!job) return ok({ kind: 'missing' });
      const now = clock();
      if (job.status !== 'pending' && !isStale(job, now)) return ok({ kind: 'busy', job });
      const previousFileId = job.attempt > 0 ? backupFileId(job.jobId, job.attempt) : null;
      if (job.attempt >= options.maxAttempts) {
        const failed: BackupJobRecord = {
          ...job,
          status: 'failed',
          failureReason: `the backup was interrupted ${job.attempt} time(s): the process running it stopped`,
          heartbeatAt: now,
        };
        await tx.updateBackupJob(failed);
        await tx.appendEvents([newEvent(system, 'backup.failed', null, { jobId: failed.jobId })]);
        return ok({ kind: 'gave_up', job: failed, previousFileId });
      }
      const claimed: BackupJobRecord = {
        ...job,
        status: 'running',
        attempt: job.attempt + 1,
        startedAt: now,
        heartbeatAt: now,
        readyAt: null,
        failureReason: null,
        byteLength: null,
      };
      await tx.updateBackupJob(claimed);
      return ok({ kind: 'claimed', job: claimed, previousFileId });
    });

  /**
   * Applies `change` to the job only while this runner still holds it; answers the job as
   * stored afterwards and whether the change was made.
   */
  const whileHeld = (held: BackupJobRecord, change: (job: BackupJobRecord) => BackupJobRecord, event?: 'backup.ready' | 'backup.failed') =>
    store.transaction(held.domainId, 'write', async (tx) => {
      const current = await tx.getBackupJob(held.jobId);
      if (!current || current.status !== 'running' || current.attempt !== held.attempt) {
        return ok({ job: current, held: false });
      }
      const next = change(current);
      await tx.updateBackupJob(next);
      if (event) await tx.appendEvents([newEvent(system, event, null, { jobId: next.jobId })]);
      return ok({ job: next as BackupJobRecord | null, held: true });
    });

  /** Deletes a file, ignoring failures: a leftover file is deleted again with its job. */
  const discardFile = async (domainId: string, fileId: string) => {
    try {
      await store.deleteBackupChunks(domainId, fileId);
    } catch {
      // Best effort; see above.
    }
  };

  /** Writes the file of a claimed job; answers its size, or `null` when the lease was lost. */
  const writeFile = async (job: BackupJobRecord, fileId: string): Promise<number | null> => {
    let seq = 0;
    let byteLength = 0;
    let lastBeat = clock().getTime();
    for await (const chunk of encodeHistoryCsv(historyRows(store.exportHistory(job.domainId)), { chunkBytes: options.chunkBytes })) {
      try {
        await store.appendBackupChunk(job.domainId, fileId, seq, chunk);
      } catch (cause) {
        throw new BackupStepError('storing the file', cause);
      }
      seq += 1;
      byteLength += chunk.byteLength;
      const now = clock();
      if (now.getTime() - lastBeat >= heartbeatEveryMs) {
        const beat = await whileHeld(job, (current) => ({ ...current, heartbeatAt: now }));
        if (beat.isErr()) throw new BackupStepError('renewing the heartbeat', beat.error.message);
        if (!beat.value.held) return null;
        lastBeat = now.getTime();
      }
    }
    return byteLength;
  };

  const run = async (domainId: string, jobId: string): Promise<Result<RunOutcome, CxError>> => {
    const claimed = await claim(domainId, jobId);
    if (claimed.isErr()) return err(claimed.error);
    const outcome = claimed.value;
    if (outcome.kind === 'missing') return ok({ job: null, result: 'skipped' });
    if (outcome.kind === 'busy') return ok({ job: outcome.job, result: 'skipped' });
    // The file of a previous attempt whose runner stopped is of no use any more.
    if (outcome.previousFileId) await discardFile(domainId, outcome.previousFileId);
    if (outcome.kind === 'gave_up') return ok({ job: outcome.job, result: 'failed' });

    const job = outcome.job;
    const fileId = backupFileId(job.jobId, job.attempt);
    let byteLength: number | null;
    try {
      byteLength = await writeFile(job, fileId);
    } catch (cause) {
      await discardFile(domainId, fileId);
      const reason = cause instanceof BackupStepError ? cause.message : `writing the file failed: ${describe(cause)}`;
      const marked = await whileHeld(job, (current) => ({ ...current, status: 'failed', failureReason: reason, heartbeatAt: clock() }), 'backup.failed');
      // When even that fails, the job stays `running` until its heartbeat goes stale and the next runner takes it.
      if (marked.isErr()) return err(marked.error);
      return ok({ job: marked.value.job, result: marked.value.held ? 'failed' : 'skipped' });
    }
    if (byteLength === null) {
      // Another runner took the job over while this one was silent too long.
      await discardFile(domainId, fileId);
      const current = await currentJob(domainId, jobId);
      return current.map((found) => ({ job: found, result: 'skipped' as const }));
    }
    const size = byteLength;
    const finished = await whileHeld(job, (current) => {
      const now = clock();
      return { ...current, status: 'ready', readyAt: now, heartbeatAt: now, byteLength: size };
    }, 'backup.ready');
    if (finished.isErr()) return err(finished.error);
    if (!finished.value.held) await discardFile(domainId, fileId);
    return ok({ job: finished.value.job, result: finished.value.held ? 'ready' : 'skipped' });
  };

  const currentJob = (domainId: string, jobId: string) =>
    store.transaction(domainId, 'read', async (tx) => ok(await tx.getBackupJob(jobId)));

  const deleteExpired = async (limit: number): Promise<Result<number, CxError>> => {
    const before = new Date(clock().getTime() - options.retentionDays * DAY_MS);
    let expired: BackupJobRecord[];
    try {
      expired = await store.listExpiredBackupJobs(before, limit);
    } catch (cause) {
      return err(storeFailure(cause));
    }
    let deleted = 0;
    for (const job of expired) {
      // The file goes first: should deleting the job then fail, it is listed again next time.
      try {
        if (job.attempt > 0) await store.deleteBackupChunks(job.domainId, backupFileId(job.jobId, job.attempt));
      } catch (cause) {
        return err(storeFailure(cause));
      }
      const removed = await store.transaction(job.domainId, 'write', async (tx) => {
        const current = await tx.getBackupJob(job.jobId);
        if (!current || current.status !== job.status || current.attempt !== job.attempt) return ok(false);
        await tx.deleteBackupJob(job.jobId);
        return ok(true);
      });
      if (removed.isErr()) return err(removed.error);
      if (removed.value) deleted += 1;
    }
    return ok(deleted);
  };

  return {
    run: async (domainId, jobId) => (await run(domainId, jobId)).map((outcome) => outcome.job),
    deleteExpired,

    async runPending(limit) {
      const staleBefore = new Date(clock().getTime() - options.staleAfterMs);
      let runnable: BackupJobRecord[];
      try {
        runnable = await store.listRunnableBackupJobs(staleBefore, limit);
      } catch (cause) {
        return err(storeFailure(cause));
      }
      const report: BackupRunReport = { ready: 0, failed: 0, skipped: 0, deleted: 0 };
      for (const listed of runnable) {
        const outcome = await run(listed.domainId, listed.jobId);
        if (outcome.isErr()) return err(outcome.error);
        report[outcome.value.result] += 1;
      }
      const deleted = await deleteExpired(limit);
      if (deleted.isErr()) return err(deleted.error);
      report.deleted = deleted.value;
      return ok(report);
    },

    isAbandoned(job) {
      const now = clock();
      if (job.status === 'pending') return now.getTime() - job.requestedAt.getTime() > options.staleAfterMs;
      return isStale(job, now);
    },
  };
}

/** The store's history stream, its failures tagged for the job's `failureReason`. */
async function* historyRows(rows: AsyncIterable<HistoryExportRow>): AsyncGenerator<HistoryExportRow, void, undefined> {
  try {
    for await (const row of rows) yield row;
  } catch (cause) {
    throw new BackupStepError('reading the history', cause);
  }
}

function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return 'unreadable error';
  }
}

import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { storeFailure, type CxError } from '../errors.js';
import { describeCause } from '../internal/describe-cause.js';
import { newEvent } from '../events/new-event.js';
import type { BackupJobRecord, HistoryFilter, HistoryPosition, HistoryRow } from '../ports/records.js';
import type { Store, StoreTransaction } from '../ports/store.js';
import { transact } from '../run-transaction.js';
import { backupFileId, backupFileIds, backupHistoryFilter } from './backup-job.js';
import type { ResolvedBackupOptions } from './backup-options.js';
import { ChunkWriter } from './chunk-writer.js';
import { loadRowEncoder } from './history-file.js';
import { yieldToHost } from './yield-to-host.js';
import { straight } from '../internal/straight.js';
import { recordCxOutcome } from '../telemetry/cx-outcome.js';
import { inSpan, markFailed } from '../telemetry/in-span.js';
import { DAY_MS } from '../internal/durations.js';


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
  /** Jobs another runner took (or finished, or that were cancelled) first. */
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
  run(domainId: string, jobId: string, actor?: string | null): Promise<Result<BackupJobRecord | null, CxError>>;
  /**
   * Runs the runnable jobs of every domain one after another, then deletes expired backups.
   * The events it appends carry `actor` (R33; `null` by default: the runner acts for nobody).
   */
  runPending(limit: number, actor?: string | null): Promise<Result<BackupRunReport, CxError>>;
  /** Deletes expired jobs and their files; answers how many. */
  deleteExpired(limit: number): Promise<Result<number, CxError>>;
  /** Whether a job read now should be taken up by a runner (its process is gone). */
  isAbandoned(job: BackupJobRecord): boolean;
};

/** What running a job came to: the job as it is afterwards, and what this runner did. */
type RunOutcome = { job: BackupJobRecord | null; result: 'ready' | 'failed' | 'skipped' };

/** Outcome of trying to take a job. */
type Claim =
  | { kind: 'missing' }
  | { kind: 'busy'; job: BackupJobRecord }
  | { kind: 'claimed'; job: BackupJobRecord; previousFileIds: string[] }
  | { kind: 'gave_up'; job: BackupJobRecord; previousFileIds: string[] };

/** A file written whole; or `lost`: the job was cancelled or taken over meanwhile, and the file discarded. */
type Written = { byteLength: number; rows: number } | 'lost';


/** A failed step, as the job's `failureReason` says it. */
const stepFailed = (step: string) => (error: CxError) =>
  `${step} failed: ${error.code === 'store_failure' ? describeCause(error.cause) : error.message}`;

/**
 * The runner of history backups (R25, R26, R45, R46, R49).
 *
 * - It claims a job in a write transaction; its attempt number is the lease. On the first claim
 *   it sets the job's watermark to the domain's last event `seq` (read in that transaction), so
 *   every attempt writes the same rows whatever is written, renamed or reset meanwhile.
 * - It counts `rowsTotal` in a read transaction of its own: the rows up to the watermark do not
 *   change (but for an erasure, R42), and a count of millions of rows must not hold the
 *   domain's write lock.
 * - It reads the matching messages up to the watermark page by page, each page in a short read
 *   transaction (keyset on `(sentAt, messageId)`), encodes them and stores the file's chunks:
 *   memory holds a page and a chunk.
 * - After each page it records `rowsDone` and its heartbeat while it still holds the job
 *   (a cancelled or taken-over job stops it, and it deletes what it wrote), then lets the
 *   host's timers and I/O run.
 * - It marks the job `ready` or `failed`, again only while it still holds it.
 *
 * @category History
 */
export function backupRunner(store: Store, clock: () => Date, options: ResolvedBackupOptions): BackupRunner {
  // Who the events of a run are stamped with (R33): the actor of the call, or nobody.
  const actingFor = (actor: string | null) => ({ clock, actor });
  // Changes this runner made that were committed: a failure after any of them is not a rollback (R27).
  let kept = 0;
  const isStale = (job: BackupJobRecord, now: Date) =>
    job.status === 'running' && (job.heartbeatAt === null || now.getTime() - job.heartbeatAt.getTime() > options.staleAfterMs);

  const claim = async (domainId: string, jobId: string, actor: string | null) =>
    (await transact<Claim>(store, domainId, 'write', async (tx) => {
      const job = await tx.getBackupJob(jobId);
      if (!job) return ok({ kind: 'missing' });
      const now = clock();
      if (job.status !== 'pending' && !isStale(job, now)) return ok({ kind: 'busy', job });
      // Every earlier attempt's file: a runner taken over before may have left its own (R42).
      const previousFileIds = backupFileIds(job.jobId, job.attempt);
      // Only a takeover counts against maxAttempts: a job an erasure sent back to `pending` (R42) was not interrupted.
      if (job.status === 'running' && job.attempt >= options.maxAttempts) {
        const reason = `the backup was interrupted ${job.attempt} time(s): the process running it stopped`;
        const failed: BackupJobRecord = { ...job, status: 'failed', failureReason: reason, heartbeatAt: now };
        await tx.markBackupFailed(job.jobId, reason, now);
        await tx.appendEvents([newEvent(actingFor(actor), 'backup.failed', null, { jobId: failed.jobId })]);
        return ok({ kind: 'gave_up', job: failed, previousFileIds });
      }
      // The point in time is fixed once, by the first claim; a later attempt writes the same rows.
      const watermark = job.watermark ?? (await tx.lastEventSeq());
      const claimed: BackupJobRecord = {
        ...job,
        status: 'running',
        attempt: job.attempt + 1,
        startedAt: now,
        heartbeatAt: now,
        readyAt: null,
        failureReason: null,
        byteLength: null,
        watermark,
        // Counted again on every attempt (see `countRows`): an erasure may have removed rows meanwhile.
        rowsTotal: null,
        rowsDone: 0,
      };
      await tx.claimBackupJob(claimed.jobId, { attempt: claimed.attempt, at: now, watermark });
      return ok({ kind: 'claimed', job: claimed, previousFileIds });
    })).map((claimed) => {
      if (claimed.kind === 'claimed' || claimed.kind === 'gave_up') kept += 1;
      return claimed;
    });

  /**
   * Writes `change` to the job only while this runner still holds it; answers the job as
   * stored afterwards and whether the change was made.
   */
  const whileHeld = async (
    held: BackupJobRecord,
    change: (tx: StoreTransaction, jobId: string) => Promise<void>,
    event?: { type: 'backup.ready' | 'backup.failed'; actor: string | null },
  ) =>
    (await transact(store, held.domainId, 'write', async (tx) => {
      const current = await tx.getBackupJob(held.jobId);
      if (!current || current.status !== 'running' || current.attempt !== held.attempt) {
        return ok({ job: current, held: false });
      }
      await change(tx, current.jobId);
      if (event) await tx.appendEvents([newEvent(actingFor(event.actor), event.type, null, { jobId: current.jobId })]);
      return ok({ job: await tx.getBackupJob(current.jobId), held: true });
    })).map((outcome) => {
      if (outcome.held) kept += 1;
      return outcome;
    });

  /** Deletes a file, ignoring failures: a leftover file is deleted again with its job. */
  const discardFile = async (domainId: string, fileId: string) => {
    try {
      await store.deleteBackupChunks(domainId, fileId);
      kept += 1;
    } catch {
      // Best effort; see above.
    }
  };

  /** One page of the job's rows, in a read transaction of its own. */
  const readPage = (job: BackupJobRecord, filter: HistoryFilter, after: HistoryPosition | null) =>
    transact(store, job.domainId, 'read', async (tx) => ok(await tx.readHistory(filter, after, options.pageSize)));

  /** Counts the rows of a claimed job's file and records them on the job while this runner holds it. */
  const countRows = (job: BackupJobRecord, filter: HistoryFilter) =>
    straight<{ job: BackupJobRecord | null; held: boolean }, string>(async (take) => {
      const counted = await transact(store, job.domainId, 'read', async (tx) => ok(await tx.countHistory(filter)));
      const rowsTotal = take(counted.mapErr(stepFailed('counting the rows')));
      return (await whileHeld(job, (tx, jobId) => tx.recordBackupProgress(jobId, { rowsTotal }))).mapErr(stepFailed('recording the progress'));
    });

  /** Writes the file of a claimed job; its error is the job's `failureReason`. */
  const writeFile = (job: BackupJobRecord, fileId: string): ResultAsync<Written, string> =>
    new ResultAsync(straight<Written, string>(async (take) => {
      const encoder = take(await ResultAsync.fromPromise(loadRowEncoder(job.format), (cause) => `preparing the file failed: ${describeCause(cause)}`));
      const filter = backupHistoryFilter(job, job.watermark ?? 0);
      const counted = take(await countRows(job, filter));
      if (!counted.held) return ok('lost' as const);
      const chunks = new ChunkWriter(options.chunkBytes);
      let seq = 0;
      let byteLength = 0;
      const lease = { jobId: job.jobId, attempt: job.attempt };
      // Answers whether the chunk was stored: not once this attempt lost the job (R42).
      const put = (chunk: Uint8Array) =>
        ResultAsync.fromPromise(
          Promise.resolve().then(() => store.appendBackupChunk(job.domainId, fileId, seq, chunk, lease)),
          (cause) => `storing the file failed: ${describeCause(cause)}`,
        ).map((stored) => {
          if (stored === false) return false;
          kept += 1;
          seq += 1;
          byteLength += chunk.byteLength;
          return true;
        });

      for (const chunk of chunks.write(encoder.preamble)) if (!take(await put(chunk))) return ok('lost' as const);
      let rows = 0;
      let after: HistoryPosition | null = null;
      for (;;) {
        // Between pages the host's timers and I/O run (R49).
        await yieldToHost();
        const page: HistoryRow[] = take((await readPage(job, filter, after)).mapErr(stepFailed('reading the history')));
        for (const chunk of chunks.write(encoder.encode(page))) if (!take(await put(chunk))) return ok('lost' as const);
        rows += page.length;
        const done = rows;
        const recorded = await whileHeld(job, (tx, jobId) => tx.recordBackupProgress(jobId, { heartbeatAt: clock(), rowsDone: done }));
        const progress = take(recorded.mapErr(stepFailed('recording the progress')));
        // Cancelled, or taken over by another runner: stop here and leave no file behind.
        if (!progress.held) return ok('lost' as const);
        const last = page[page.length - 1];
        if (!last || page.length < options.pageSize) break;
        after = { sentAt: last.sentAt, messageId: last.messageId, eventSeq: last.eventSeq };
      }
      const last = chunks.finish();
      if (last && !take(await put(last))) return ok('lost' as const);
      return ok({ byteLength, rows });
    }));

  const currentJob = (domainId: string, jobId: string) => transact(store, domainId, 'read', async (tx) => ok(await tx.getBackupJob(jobId)));

  /**
   * Runs a job until it ends or another runner holds it. A job an erasure sent back to
   * `pending` while this runner wrote it (R42) is taken up again at once.
   */
  const run = (domainId: string, jobId: string, actor: string | null): ResultAsync<RunOutcome, CxError> =>
    new ResultAsync(
      (async (): Promise<Result<RunOutcome, CxError>> => {
        for (;;) {
          const outcome = await runOnce(domainId, jobId, actor);
          if (outcome.isErr() || outcome.value.result !== 'skipped' || outcome.value.job?.status !== 'pending') return outcome;
        }
      })(),
    );

  const runOnce = (domainId: string, jobId: string, actor: string | null): ResultAsync<RunOutcome, CxError> =>
    new ResultAsync(straight<RunOutcome, CxError>(async (take) => {
      const outcome = take(await claim(domainId, jobId, actor));
      if (outcome.kind === 'missing') return ok({ job: null, result: 'skipped' as const });
      if (outcome.kind === 'busy') return ok({ job: outcome.job, result: 'skipped' as const });
      // The files of previous attempts whose runners stopped are of no use any more.
      for (const fileId of outcome.previousFileIds) await discardFile(domainId, fileId);
      if (outcome.kind === 'gave_up') return ok({ job: outcome.job, result: 'failed' as const });

      const job = outcome.job;
      const fileId = backupFileId(job.jobId, job.attempt);
      const written = await writeFile(job, fileId);
      if (written.isErr()) {
        await discardFile(domainId, fileId);
        const reason = written.error;
        const marked = take(await whileHeld(job, (tx, jobId) => tx.markBackupFailed(jobId, reason, clock()), { type: 'backup.failed', actor }));
        // When even that fails, the job stays `running` until its heartbeat goes stale and the next runner takes it.
        return ok({ job: marked.job, result: marked.held ? ('failed' as const) : ('skipped' as const) });
      }
      if (written.value === 'lost') {
        await discardFile(domainId, fileId);
        const current = take(await currentJob(domainId, jobId));
        return ok({ job: current, result: 'skipped' as const });
      }
      const file = written.value;
      const finished = take(
        await whileHeld(
          job,
          // `rowsTotal` is what the file holds, exactly, even if an erasure (R42) raced the count.
          (tx, jobId) => tx.markBackupReady(jobId, { at: clock(), byteLength: file.byteLength, rows: file.rows }),
          { type: 'backup.ready', actor },
        ),
      );
      if (!finished.held) await discardFile(domainId, fileId);
      return ok({ job: finished.job, result: finished.held ? ('ready' as const) : ('skipped' as const) });
    }));

  /**
   * A failure of a pass that had already committed some of its work (R27): not `rolled_back`,
   * but `unknown`, with what happened to each job in the message.
   */
  const afterKept = (error: CxError, keptBefore: number, done: readonly string[], stoppedAt: string): CxError => {
    if (error.code !== 'store_failure' || kept === keptBefore) return error;
    const before = done.length > 0 ? done.join('; ') : 'no job finished before it';
    return storeFailure(
      error.cause,
      `${error.message} — ${stoppedAt}; this pass had already kept some of its work (${before}), so outcome is 'unknown': read the jobs to see where each one is (a job left running is taken up again once its heartbeat is stale)`,
      'unknown',
    );
  };

  const deleteExpired = async (limit: number): Promise<Result<number, CxError>> => {
    const keptBefore = kept;
    const done: string[] = [];
    const failed = (error: CxError, job: BackupJobRecord) =>
      err(afterKept(error, keptBefore, done, `deleting expired backup ${job.jobId} of ${job.domainId} failed`));
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
        // Every attempt's file: a runner taken over may have left one (R42).
        for (const fileId of backupFileIds(job.jobId, job.attempt)) {
          await store.deleteBackupChunks(job.domainId, fileId);
          kept += 1;
        }
      } catch (cause) {
        return failed(storeFailure(cause), job);
      }
      const removed = await transact(store, job.domainId, 'write', async (tx) => {
        const current = await tx.getBackupJob(job.jobId);
        if (!current || current.status !== job.status || current.attempt !== job.attempt) return ok(false);
        await tx.deleteBackupJob(job.jobId);
        return ok(true);
      });
      if (removed.isErr()) return failed(removed.error, job);
      if (removed.value) {
        deleted += 1;
        kept += 1;
        done.push(`expired backup ${job.jobId} of ${job.domainId}: deleted`);
      }
    }
    return ok(deleted);
  };

  /** One run of a job in its span, `cx.backup.run` (see {@link tracedBackupRun}). */
  const tracedRun = (domainId: string, jobId: string, actor: string | null) => tracedBackupRun(domainId, jobId, () => run(domainId, jobId, actor));

  return {
    run: async (domainId, jobId, actor = null) => (await tracedRun(domainId, jobId, actor)).map((outcome) => outcome.job),
    deleteExpired,

    async runPending(limit, actor = null) {
      const staleBefore = new Date(clock().getTime() - options.staleAfterMs);
      let runnable: BackupJobRecord[];
      try {
        runnable = await store.listRunnableBackupJobs(staleBefore, limit);
      } catch (cause) {
        return err(storeFailure(cause));
      }
      const report: BackupRunReport = { ready: 0, failed: 0, skipped: 0, deleted: 0 };
      const keptBefore = kept;
      const done: string[] = [];
      for (const listed of runnable) {
        const outcome = await tracedRun(listed.domainId, listed.jobId, actor);
        if (outcome.isErr()) {
          return err(afterKept(outcome.error, keptBefore, done, `running backup ${listed.jobId} of ${listed.domainId} failed`));
        }
        report[outcome.value.result] += 1;
        done.push(`backup ${listed.jobId} of ${listed.domainId}: ${outcome.value.result}`);
      }
      const deleted = await deleteExpired(limit);
      if (deleted.isErr()) return err(afterKept(deleted.error, keptBefore, done, 'deleting expired backups failed'));
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

/**
 * Runs one backup job in a span `cx.backup.run` with `cx.domain_id`, `cx.backup.job_id` and,
 * when it ends, `cx.backup.result` (`ready`, `failed` or `skipped`) or `cx.outcome` (the error
 * code when the runner could not even record the job's end). A job that failed sets the span's
 * status to `ERROR` with `error.type` `backup_failed` and the job's `failureReason`.
 */
function tracedBackupRun(domainId: string, jobId: string, work: () => PromiseLike<Result<RunOutcome, CxError>>): Promise<Result<RunOutcome, CxError>> {
  return inSpan('cx.backup.run', { attributes: { 'cx.domain_id': domainId, 'cx.backup.job_id': jobId } }, work, (span, result) => {
    if (result.isErr()) {
      recordCxOutcome(span, result);
      return;
    }
    span.setAttribute('cx.backup.result', result.value.result);
    if (result.value.result === 'failed') markFailed(span, 'backup_failed', result.value.job?.failureReason ?? 'the backup failed');
  });
}

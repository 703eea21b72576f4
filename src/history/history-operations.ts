import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { notFound, ruleError, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { BackupJobRecord } from '../ports/records.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { domainIdSchema, opaqueId } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { backupFileId, pendingBackupJob, viewBackupJob, type BackupJob } from './backup-job.js';
import { resolveBackupOptions, type BackupOptions, type ResolvedBackupOptions } from './backup-options.js';
import { backupRunner, type BackupRunner, type BackupRunReport } from './backup-runner.js';
import { toReadableStream } from './web-stream.js';

export type { BackupJob } from './backup-job.js';
export type { BackupOptions } from './backup-options.js';
export type { BackupRunReport } from './backup-runner.js';

/** How many jobs one `runPendingBackups` or `deleteExpiredBackups` call handles by default. */
const DEFAULT_BATCH = 100;
/** How many jobs the in-process runner recovers when a process starts using history. */
const RECOVERY_BATCH = 1000;

const jobIdSchema = opaqueId('backup id');
const batchOptionsSchema = z
  .strictObject({ limit: z.number().int('must be a whole number').min(1).max(10_000).optional() })
  .optional();

/**
 * The `history` operations: backups of the consultation history of a domain (R25, R26).
 *
 * A backup is a job. `startBackup` answers it at once as `pending`; a runner (this process by
 * default, or the host's — see {@link BackupOptions}) turns the domain's history into a CSV file
 * kept by the store in chunks, and marks the job `ready` (or `failed`, with a reason). Then
 * `download` streams the file.
 *
 * The file: UTF-8 with a byte-order mark, RFC 4180 with CRLF line ends, header
 * `account_id,account_name,customer_name,sent_at,sender,content`; one row per message of every
 * account of the domain (reset ones included), by account (activation order) then time;
 * `account_name` is the account's latest name, `customer_name` and `sender` the names when the
 * message was sent (`sender` is the account's name for automatic replies); `sent_at` is ISO 8601
 * in the account's time zone with its offset (`2026-11-25T18:30:00.000+09:00`). A cell starting
 * with `=`, `+`, `-`, `@`, tab or CR (or their full-width forms) is prefixed with `'` so that a
 * spreadsheet shows it as text instead of running it.
 *
 * @category History
 */
export type HistoryOperations = {
  /**
   * Starts a backup of the history of every account of the domain, reset ones included (R25).
   * Answers the job at once, `pending`.
   *
   * @example
   * ```ts
   * const job = await cx.history.startBackup('acme');
   * if (job.isOk()) {
   *   // later
   *   const status = await cx.history.job('acme', job.value.id); // → ok({ status: 'ready', readyAt, byteLength, … })
   * }
   * ```
   */
  startBackup(domainId: string): ResultAsync<BackupJob, CxError>;
  /**
   * Reads a job (`not_found`, entity `backup`, for an unknown id, another domain's job, or one
   * deleted after its retention). With the in-process runner, reading a job whose process
   * stopped hands it to this process's runner.
   */
  job(domainId: string, jobId: string): ResultAsync<BackupJob, CxError>;
  /**
   * The file of a `ready` job as a stream of UTF-8 chunks (`backup_not_ready` while the job is
   * `pending`, `running` or `failed`). Each iteration reads the stored file anew; a storage
   * failure in the middle makes the iteration throw.
   *
   * @example
   * ```ts
   * // Node: save it
   * const file = await cx.history.download('acme', jobId);
   * if (file.isOk()) await pipeline(Readable.from(file.value), createWriteStream('history.csv'));
   * ```
   */
  download(domainId: string, jobId: string): ResultAsync<AsyncIterable<Uint8Array>, CxError>;
  /**
   * {@link HistoryOperations.download} as a web `ReadableStream`, e.g. for a `Response` body.
   *
   * @example
   * ```ts
   * const stream = await cx.history.downloadStream('acme', jobId);
   * const response = stream.match(
   *   (body) => new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8' } }),
   *   (error) => new Response(error.message, { status: error.code === 'backup_not_ready' ? 409 : 404 }),
   * );
   * ```
   */
  downloadStream(domainId: string, jobId: string): ResultAsync<ReadableStream<Uint8Array>, CxError>;
  /**
   * Runs one job now, in the caller's promise, when it is `pending` or its runner stopped (for
   * hosts with `runner: 'manual'` and their own queue). Answers the job as it is afterwards: a
   * job another runner holds, or one already finished, is answered untouched.
   *
   * @example
   * ```ts
   * queue.process('cx-backup', ({ domainId, jobId }) => cx.history.runBackup(domainId, jobId));
   * ```
   */
  runBackup(domainId: string, jobId: string): ResultAsync<BackupJob, CxError>;
  /**
   * Runs every `pending` job of every domain, and every `running` job whose process stopped
   * (up to `limit`, default 100, oldest first), one after another; then deletes expired
   * backups. For hosts with `runner: 'manual'` (call it from a cron job or worker loop), and
   * at start-up with either runner.
   *
   * @example
   * ```ts
   * setInterval(() => void cx.history.runPendingBackups(), 60_000);
   * ```
   */
  runPendingBackups(options?: { limit?: number }): ResultAsync<BackupRunReport, CxError>;
  /** Deletes the jobs and files past their retention (up to `limit`, default 100); answers how many. */
  deleteExpiredBackups(options?: { limit?: number }): ResultAsync<number, CxError>;
  /**
   * Resolves when the in-process runner has nothing left to do: for a graceful shutdown, and
   * for tests. With `runner: 'manual'` it resolves at once.
   */
  drain(): ResultAsync<void, CxError>;
};

/**
 * The `history` operations over a context. `backups` is checked here: when it is not valid,
 * every operation answers the `validation` error (nothing throws).
 *
 * @category History
 */
export function historyOperations(context: OperationContext, backups?: BackupOptions): HistoryOperations {
  const resolved = resolveBackupOptions(backups);
  if (resolved.isErr()) {
    const refuse = () => runOperation<never>(async () => err(resolved.error));
    return {
      startBackup: refuse,
      job: refuse,
      download: refuse,
      downloadStream: refuse,
      runBackup: refuse,
      runPendingBackups: refuse,
      deleteExpiredBackups: refuse,
      drain: refuse,
    };
  }
  return backupOperations(context, resolved.value);
}

function backupOperations(context: OperationContext, options: ResolvedBackupOptions): HistoryOperations {
  const { store, clock } = context;
  const runner = backupRunner(store, clock, options);
  const background = options.runner === 'in-process' ? inProcessRunner(runner) : null;
  const view = (record: BackupJobRecord) => viewBackupJob(record, options.retentionDays);

  const parseJobTarget = (domainId: unknown, jobId: unknown) =>
    parseInput(domainIdSchema, domainId, 'domainId').andThen((domain) =>
      parseInput(jobIdSchema, jobId, 'jobId').map((job) => ({ domain, job })),
    );

  const readJob = (domainId: string, jobId: string) =>
    store.transaction(domainId, 'read', async (tx) => {
      const job = await tx.getBackupJob(jobId);
      return job ? ok(job) : err(notFound('backup', jobId));
    });

  /** The stored file of a job that is `ready`. */
  const readyFile = async (domainId: unknown, jobId: unknown): Promise<Result<AsyncIterable<Uint8Array>, CxError>> => {
    const target = parseJobTarget(domainId, jobId);
    if (target.isErr()) return err(target.error);
    const { domain, job: id } = target.value;
    background?.recoverOnce();
    const found = await readJob(domain, id);
    if (found.isErr()) return err(found.error);
    const job = found.value;
    if (job.status !== 'ready') return err(notReady(job));
    const fileId = backupFileId(job.jobId, job.attempt);
    return ok({ [Symbol.asyncIterator]: () => store.readBackupChunks(domain, fileId)[Symbol.asyncIterator]() });
  };

  const batchLimit = (input: unknown) => parseInput(batchOptionsSchema, input, 'options').map((given) => given?.limit ?? DEFAULT_BATCH);

  return {
    startBackup: (domainId) =>
      runOperation(async () => {
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        background?.recoverOnce();
        const record = pendingBackupJob(domain.value, randomId(), clock());
        const inserted = await store.transaction(domain.value, 'write', async (tx) => {
          await tx.insertBackupJob(record);
          return ok(record);
        });
        if (inserted.isErr()) return err(inserted.error);
        background?.enqueue(record.domainId, record.jobId);
        return ok(view(record));
      }),

    job: (domainId, jobId) =>
      runOperation(async () => {
        const target = parseJobTarget(domainId, jobId);
        if (target.isErr()) return err(target.error);
        background?.recoverOnce();
        const found = await readJob(target.value.domain, target.value.job);
        if (found.isErr()) return err(found.error);
        if (background && runner.isAbandoned(found.value)) background.enqueue(found.value.domainId, found.value.jobId);
        return ok(view(found.value));
      }),

    download: (domainId, jobId) => runOperation(() => readyFile(domainId, jobId)),

    downloadStream: (domainId, jobId) =>
      runOperation(async () => (await readyFile(domainId, jobId)).map((file) => toReadableStream(file))),

    runBackup: (domainId, jobId) =>
      runOperation(async () => {
        const target = parseJobTarget(domainId, jobId);
        if (target.isErr()) return err(target.error);
        const ran = await runner.run(target.value.domain, target.value.job);
        if (ran.isErr()) return err(ran.error);
        return ran.value ? ok(view(ran.value)) : err(notFound('backup', target.value.job));
      }),

    runPendingBackups: (input) =>
      runOperation(async () => {
        const limit = batchLimit(input);
        if (limit.isErr()) return err(limit.error);
        return runner.runPending(limit.value);
      }),

    deleteExpiredBackups: (input) =>
      runOperation(async () => {
        const limit = batchLimit(input);
        if (limit.isErr()) return err(limit.error);
        return runner.deleteExpired(limit.value);
      }),

    drain: () =>
      runOperation(async () => {
        if (background) await background.idle();
        return ok(undefined);
      }),
  };
}

function notReady(job: BackupJobRecord): CxError {
  if (job.status === 'failed') {
    return ruleError('backup_not_ready', `backup ${JSON.stringify(job.jobId)} failed (${job.failureReason ?? 'unknown failure'}); start a new one`);
  }
  return ruleError('backup_not_ready', `backup ${JSON.stringify(job.jobId)} is ${job.status}; try again when it is ready`);
}

/**
 * The in-process runner: runs jobs one at a time in the background of this process. Once per
 * instance, on first use, it also takes up the jobs left behind by a process that stopped.
 */
function inProcessRunner(runner: BackupRunner) {
  let tail: Promise<void> = Promise.resolve();
  let recovered = false;
  const queued = new Set<string>();

  const push = (task: () => Promise<unknown>) => {
    // A task never rejects the chain: failures are recorded on the job by the runner, and a
    // store that cannot even record them leaves the job to the next runner (see BackupOptions).
    tail = tail.then(task).then(
      () => undefined,
      () => undefined,
    );
  };

  return {
    enqueue(domainId: string, jobId: string) {
      const key = `${domainId}\u0000${jobId}`;
      if (queued.has(key)) return;
      queued.add(key);
      push(async () => {
        queued.delete(key);
        await runner.run(domainId, jobId);
        await runner.deleteExpired(DEFAULT_BATCH);
      });
    },

    recoverOnce() {
      if (recovered) return;
      recovered = true;
      push(() => runner.runPending(RECOVERY_BATCH));
    },

    async idle() {
      let seen: Promise<void>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },
  };
}

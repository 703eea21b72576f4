import { err, ok, ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { configInvalid, notFound, ruleError, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { BackupJobRecord } from '../ports/records.js';
import { randomId } from '../random-id.js';
import { newEvent } from '../events/new-event.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema, opaqueId } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { backupFileIds, FINISHED_BACKUP_STATUSES, isBackupExpired, pendingBackupJob, viewBackupJob, type BackupJob } from './backup-job.js';
import { resolveBackupOptions, type BackupOptions, type ResolvedBackupOptions } from './backup-options.js';
import { backupRequestSchema, type BackupRequest } from './backup-request.js';
import { backupRunner, type BackupRunner, type BackupRunReport } from './backup-runner.js';
import { verifiedFile } from './verified-file.js';
import { toReadableStream } from './web-stream.js';
import { detached } from '../telemetry/in-span.js';
import { straight } from '../internal/straight.js';

export type { BackupJob } from './backup-job.js';
export type { BackupOptions } from './backup-options.js';
export type { BackupRequest } from './backup-request.js';
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
 * The `history` operations: backups of the consultation history of a domain (R25, R26, R45, R46).
 *
 * A backup is a job. `startBackup` answers it at once as `pending`; a runner (this process by
 * default, or the host's — see {@link BackupOptions}) writes the matching messages into a file
 * kept by the store in chunks, and marks the job `ready` (or `failed`, with a reason). Then
 * `download` streams the file. While it runs, the job reports `rowsDone` of `rowsTotal`;
 * `cancel` stops it.
 *
 * A point in time: the file holds exactly the matching messages stored before a runner first
 * took the job up, whatever is written, renamed or reset meanwhile — also when the job is taken
 * over by another process after a crash.
 *
 * The file lists messages oldest first (ties by message id), as `conversations.history` does.
 * Columns: `account_id,account_name,customer_name,sent_at,sender,content,account_uid,customer_id,channel,sender_kind`;
 * `account_name`, `customer_name` and `sender` are the names when the message was sent
 * (`sender` is the account's name for automatic replies); `sent_at` is ISO 8601 in the
 * account's time zone (as it is when the file is written) with its offset
 * (`2026-11-25T18:30:00.000+09:00`); `account_uid` tells apart the accounts that had one ID
 * before and after a reset; `sender_kind` is `customer`, `agent` or `account`.
 * - `csv` (default): UTF-8 with a byte-order mark, RFC 4180 with CRLF line ends. A cell starting
 *   with `=`, `+`, `-`, `@`, tab or CR (or their full-width forms) is prefixed with `'` so that a
 *   spreadsheet shows it as text instead of running it. Serve it as `text/csv; charset=utf-8`.
 * - `jsonl`: one JSON object per line (`\n`), keys as the CSV header, values exactly as stored
 *   (no BOM, no prefix). Serve it as `application/x-ndjson` (or `application/jsonl`).
 *
 * @category History
 */
export type HistoryOperations = {
  /**
   * Starts a backup of the history of the domain, reset accounts included (R25), narrowed by
   * `options` (R45): `from ≤ sentAt < to`, the accounts that ever had one of `accountIds`, and
   * the `format`. Answers the job at once, `pending`; an unknown option is a `validation` error.
   *
   * @example
   * ```ts
   * const started = await cx.history.startBackup('acme', { accountIds: ['help'], from: new Date('2026-01-01'), format: 'jsonl' });
   * started.match(
   *   (job) => console.log('backup', job.id, job.status), // 'pending'
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId` or the request (format, accounts, time range) is malformed.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  startBackup(domainId: string, options?: BackupRequest): ResultAsync<BackupJob, OperationError<'history.startBackup'>>;
  /**
   * Reads a job (`not_found`, entity `backup`, for an unknown id, another domain's job, or one
   * past its `expiresAt`, deleted or not yet). With the in-process runner, reading a job whose
   * process stopped hands it to this process's runner.
   *
   * @example
   * ```ts
   * const job = await cx.history.job('acme', jobId);
   * if (job.isOk()) console.log(`${job.value.rowsDone} of ${job.value.rowsTotal ?? '?'} rows`);
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `jobId` is malformed.
   * - `not_found`: no such job, or it is past its retention and deleted.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  job(domainId: string, jobId: string): ResultAsync<BackupJob, OperationError<'history.job'>>;
  /**
   * Stops a `pending` or `running` job (R46): it becomes `cancelled`, its file is deleted and
   * `download` answers `backup_not_ready`; a running runner stops after its current page. A job
   * that already ended (`ready`, `failed`, `cancelled`) is answered as it is, unchanged.
   *
   * @example
   * ```ts
   * const cancelled = await cx.history.cancel('acme', jobId);
   * if (cancelled.isErr()) console.error(cancelled.error.message);
   * else console.log(cancelled.value.status); // 'cancelled' (or how it had ended)
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `jobId` is malformed.
   * - `not_found`: no such job, or it is past its retention and deleted.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  cancel(domainId: string, jobId: string): ResultAsync<BackupJob, OperationError<'history.cancel'>>;
  /**
   * The file of a `ready` job as a stream of UTF-8 chunks (`backup_not_ready` while the job is
   * `pending`, `running`, `failed` or `cancelled`; `not_found` once past `expiresAt`). Each
   * iteration reads the stored file anew; a storage failure in the middle, or a file deleted
   * meanwhile (retention), makes the iteration throw: a file is never delivered short (R49).
   *
   * @example
   * ```ts
   * // Node: save it
   * const file = await cx.history.download('acme', jobId);
   * if (file.isOk()) await pipeline(Readable.from(file.value), createWriteStream('history.csv'));
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `jobId` is malformed.
   * - `not_found`: no such job, or it is past its retention and deleted.
   * - `backup_not_ready`: the job is not `ready`: still pending or running (try again later), or
   *   failed or cancelled (start a new one); the message says which.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  download(domainId: string, jobId: string): ResultAsync<AsyncIterable<Uint8Array>, OperationError<'history.download'>>;
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
   *
   * @errors
   * - `validation`: `domainId` or `jobId` is malformed.
   * - `not_found`: no such job, or it is past its retention and deleted.
   * - `backup_not_ready`: the job is not `ready`: still pending or running (try again later), or
   *   failed or cancelled (start a new one); the message says which.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  downloadStream(domainId: string, jobId: string): ResultAsync<ReadableStream<Uint8Array>, OperationError<'history.downloadStream'>>;
  /**
   * Runs one job now, in the caller's promise, when it is `pending` or its runner stopped (for
   * hosts with `runner: 'manual'` and their own queue). Answers the job as it is afterwards: a
   * job another runner holds, or one already finished, is answered untouched. Called through
   * `cx.as(actor)`, the events it appends (`backup.ready`, `backup.failed`) carry that actor (R33).
   *
   * @example
   * ```ts
   * queue.process('cx-backup', async ({ domainId, jobId }) => {
   *   const ran = await cx.history.runBackup(domainId, jobId);
   *   if (ran.isErr()) throw new Error(ran.error.message); // let the queue retry
   * });
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `jobId` is malformed.
   * - `not_found`: no such job.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  runBackup(domainId: string, jobId: string): ResultAsync<BackupJob, OperationError<'history.runBackup'>>;
  /**
   * Runs every `pending` job of every domain, and every `running` job whose process stopped
   * (up to `limit`, default 100, oldest first), one after another; then deletes expired
   * backups. For hosts with `runner: 'manual'` (call it from a cron job or worker loop), and
   * at start-up with either runner. Called through `cx.as(actor)`, the events it appends carry
   * that actor (R33); the in-process runner acts for nobody (`actor: null`).
   *
   * @example
   * ```ts
   * setInterval(() => void cx.history.runPendingBackups(), 60_000);
   * ```
   *
   * @errors
   * - `validation`: `options.limit` is not a whole number in range.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  runPendingBackups(options?: { limit?: number }): ResultAsync<BackupRunReport, OperationError<'history.runPendingBackups'>>;
  /**
   * Deletes the jobs and files past their retention (up to `limit`, default 100); answers how many.
   *
   * @errors
   * - `validation`: `options.limit` is not a whole number in range.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  deleteExpiredBackups(options?: { limit?: number }): ResultAsync<number, OperationError<'history.deleteExpiredBackups'>>;
  /**
   * Resolves when the in-process runner has nothing left to do: for a graceful shutdown, and
   * for tests. With `runner: 'manual'` it resolves at once.
   *
   * @errors
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  drain(): ResultAsync<void, OperationError<'history.drain'>>;
};

/** The runner behind each history group, so that `cx.as(actor)` shares the one of `cx`. */
const runners = new WeakMap<HistoryOperations, { runner: BackupRunner; background: InProcessRunner | null }>();

/**
 * The `history` operations over a context. `backups` is checked here: when it is not valid,
 * every operation answers the `validation` error (nothing throws).
 *
 * @category History
 */
export function historyOperations(context: OperationContext, backups?: BackupOptions, base?: HistoryOperations): HistoryOperations {
  const resolved = resolveBackupOptions(backups);
  if (resolved.isErr()) {
    // Bad backup options are bad options of createCxAccounts (R27).
    const error = resolved.error.code === 'validation' ? configInvalid(resolved.error.issues) : resolved.error;
    const refuse = () => runOperation<never>(async () => err(error));
    return narrowed<HistoryOperations>({
      startBackup: refuse,
      job: refuse,
      cancel: refuse,
      download: refuse,
      downloadStream: refuse,
      runBackup: refuse,
      runPendingBackups: refuse,
      deleteExpiredBackups: refuse,
      drain: refuse,
    });
  }
  const shared = base === undefined ? undefined : runners.get(base);
  return backupOperations(context, resolved.value, shared);
}

function backupOperations(
  context: OperationContext,
  options: ResolvedBackupOptions,
  shared?: { runner: BackupRunner; background: InProcessRunner | null },
): HistoryOperations {
  const { store, clock } = context;
  const runner = shared?.runner ?? backupRunner(store, clock, options);
  const background = shared ? shared.background : options.runner === 'in-process' ? inProcessRunner(runner) : null;
  const view = (record: BackupJobRecord) => viewBackupJob(record, options.retentionDays);

  const parseJobTarget = (domainId: unknown, jobId: unknown) =>
    parseInput(domainIdSchema, domainId, 'domainId').andThen((domain) =>
      parseInput(jobIdSchema, jobId, 'jobId').map((job) => ({ domain, job })),
    );

  /** The job, or `not_found` — also once it is past its retention, before the cleanup deleted it (R49). */
  const readJob = (domainId: string, jobId: string) =>
    transact(store, domainId, 'read', async (tx) => {
      const job = await tx.getBackupJob(jobId);
      return job && !isBackupExpired(job, options.retentionDays, clock()) ? ok(job) : err(notFound('backup', jobId));
    });

  /** The stored file of a job that is `ready`, checked whole as it is read (R49). */
  const readyFile = (domainId: unknown, jobId: unknown): ResultAsync<AsyncIterable<Uint8Array>, CxError> =>
    new ResultAsync(straight<AsyncIterable<Uint8Array>, CxError>(async (take) => {
      const { domain, job: id } = take(parseJobTarget(domainId, jobId));
      background?.recoverOnce();
      const job = take(await readJob(domain, id));
      if (job.status !== 'ready') return err(notReady(job));
      return ok(verifiedFile(store, job));
    }));

  const operations: HistoryOperations = {} as HistoryOperations;
  runners.set(operations, { runner, background });

  const batchLimit = (input: unknown) => parseInput(batchOptionsSchema, input, 'options').map((given) => given?.limit ?? DEFAULT_BATCH);

  return Object.assign(operations, narrowed<HistoryOperations>({
    startBackup: (domainId: unknown, request?: unknown) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const { filter, format } = take(parseInput(backupRequestSchema, request, 'options'));
        background?.recoverOnce();
        const record = pendingBackupJob(domain, randomId(), clock(), { filter, format });
        take(await transact(store, domain, 'write', async (tx) => {
          await tx.insertBackupJob(record);
          await tx.appendEvents([newEvent(context, 'backup.requested', null, { jobId: record.jobId })]);
          return ok(undefined);
        }));
        background?.enqueue(record.domainId, record.jobId);
        return ok(view(record));
      }),

    job: (domainId, jobId) =>
      runOperation(async (take) => {
        const { domain, job: id } = take(parseJobTarget(domainId, jobId));
        background?.recoverOnce();
        const found = take(await readJob(domain, id));
        if (background && runner.isAbandoned(found)) background.enqueue(found.domainId, found.jobId);
        return ok(view(found));
      }),

    cancel: (domainId, jobId) =>
      runOperation(async (take) => {
        const { domain, job: id } = take(parseJobTarget(domainId, jobId));
        const { job } = take(await transact(store, domain, 'write', async (tx) => {
          const found = await tx.getBackupJob(id);
          if (!found || isBackupExpired(found, options.retentionDays, clock())) return err(notFound('backup', id));
          // A job that ended stays as it ended.
          if (FINISHED_BACKUP_STATUSES.includes(found.status)) return ok({ job: found });
          const cancelled: BackupJobRecord = { ...found, status: 'cancelled', readyAt: null, byteLength: null, failureReason: null };
          await tx.cancelBackupJob(found.jobId);
          // What its runners wrote so far, every attempt's, in the same commit: a runner still
          // writing is refused its next chunk (R42: no chunk outlives its job).
          await tx.deleteBackupFiles(backupFileIds(found.jobId, found.attempt));
          await tx.appendEvents([newEvent(context, 'backup.cancelled', null, { jobId: id })]);
          return ok({ job: cancelled });
        }));
        return ok(view(job));
      }),

    download: (domainId, jobId) => runOperation(() => readyFile(domainId, jobId)),

    downloadStream: (domainId, jobId) =>
      runOperation(async () => (await readyFile(domainId, jobId)).map((file) => toReadableStream(file))),

    runBackup: (domainId, jobId) =>
      runOperation(async (take) => {
        const { domain, job: id } = take(parseJobTarget(domainId, jobId));
        const ran = take(await runner.run(domain, id, context.actor));
        return ran ? ok(view(ran)) : err(notFound('backup', id));
      }),

    runPendingBackups: (input) =>
      runOperation(async (take) => {
        const limit = take(batchLimit(input));
        return runner.runPending(limit, context.actor);
      }),

    deleteExpiredBackups: (input) =>
      runOperation(async (take) => {
        const limit = take(batchLimit(input));
        return runner.deleteExpired(limit);
      }),

    drain: () =>
      runOperation(async () => {
        if (background) await background.idle();
        return ok(undefined);
      }),
  }));
}

type InProcessRunner = ReturnType<typeof inProcessRunner>;

function notReady(job: BackupJobRecord): CxError {
  if (job.status === 'failed') {
    return ruleError('backup_not_ready', `backup ${JSON.stringify(job.jobId)} failed (${job.failureReason ?? 'unknown failure'}); start a new one`);
  }
  if (job.status === 'cancelled') {
    return ruleError('backup_not_ready', `backup ${JSON.stringify(job.jobId)} was cancelled; start a new one`);
  }
  if (job.status === 'pending') {
    return ruleError('backup_not_ready', `backup ${JSON.stringify(job.jobId)} is pending: no runner has taken it up yet; try again when it is ready`);
  }
  const progress = job.rowsTotal === null ? '' : ` (${job.rowsDone} of ${job.rowsTotal} rows)`;
  return ruleError('backup_not_ready', `backup ${JSON.stringify(job.jobId)} is running${progress}; try again when it is ready`);
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
    // Outside the span of the call that queued it: its backup span is a root linked to that call.
    tail = tail.then(detached(task)).then(
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

import type { DatabaseConnection, Kysely } from 'kysely';
import { err, type Result } from 'neverthrow';
import { nameTaken, ruleError, storeFailure, type CxError } from '../../../src/errors.js';
import type { StoreTransaction, TransactionMode } from '../../../src/ports/store.js';
import { StoreError, storeFailureOf } from '../../../src/ports/store-error.js';
import { describeCause } from '../../../src/internal/describe-cause.js';
import { serialQueue } from '../../../src/internal/serial-queue.js';
import type { CxDatabase } from '../cx-database.js';
import type { Exclusive } from '../queries/exclusive.js';
import { isConflictAbort, isConnectionLost, isLockWaitTimeout, isRetryableFailure, isStatementTimeout, violatedUniqueRule } from './driver-errors.js';
import { preparedQueries, rawStatement } from '../queries/prepared-queries.js';
import { DEFAULT_LOCK_TIMEOUT_MS, sessionLockLimits, writeTransactionLimits, type SqlCapabilities } from '../sql-dialect.js';
import { accountAgentMemo } from './account-agent-memo.js';
import { settingsMemo } from './settings-memo.js';
import { SqlStoreTransaction } from './sql-store-transaction.js';
import { LOCK_DOMAIN_BY_WRITE, LOCK_DOMAIN_BY_WRITE_THEN_UNBOUND } from './domain-lock.js';
import { busyPauseMillis, isSqliteBusy, pause, retryWhileBusy } from './busy-wait.js';
import { ENSURE_DOMAIN_ON_CONFLICT, ENSURE_DOMAIN_ON_DUPLICATE } from '../queries/store-queries.js';

/** How often a transaction runs at most when the database reports a deadlock or serialization failure. */
export const MAX_TRANSACTION_ATTEMPTS = 5;

/**
 * How often a transaction runs at most when MySQL/MariaDB answers `ER_LOCK_DEADLOCK` (1213):
 * on a Galera cluster that is a certification conflict with another node, and with many
 * writers of one domain spread over the nodes one transaction may lose several rounds.
 */
export const MAX_CONFLICT_ATTEMPTS = 16;

/** Longest pause between two attempts, in milliseconds (before jitter). */
const MAX_BACKOFF_MILLIS = 200;

type Work<T> = (tx: StoreTransaction) => PromiseLike<Result<T, CxError>>;
type Attempt<T> =
  | { retry: false; result: Result<T, CxError> }
  | { retry: true; cause: unknown; nameTaken?: true }
  /** SQLite: another connection holds the write lock; wait on a timer and try again (R49). */
  | { retry: 'busy'; cause: unknown };

/**
 * `lockDomain: false`: a write that does not take the domain's lock (PostgreSQL, MySQL): it
 * changes only rows that no rule of the domain reads under that lock, and guards them itself
 * (a delivery runner's record of an endpoint it holds, `recordWebhookDelivery`). Its lock
 * waits are bounded all the same (R49), and a deadlock reruns it. On SQLite every write takes
 * the file's lock.
 */
export type RunOptions = { lockDomain?: boolean };

/** The `transaction` method of a SQL store, and the queue its other methods share. */
export type TransactionRunner = {
  transaction<T>(domainId: string, mode: TransactionMode, work: Work<T>, options?: RunOptions): Promise<Result<T, CxError>>;
  exclusive: Exclusive;
};

/**
 * Builds the transaction method of a SQL store.
 *
 * - All or nothing: `work` runs between `BEGIN` and `COMMIT` on one connection; when it
 *   answers `err`, rejects, or any statement fails, the transaction is rolled back.
 * - Writes of one domain are serialised: on PostgreSQL and MySQL the domain's `cx_domains`
 *   row is locked by an `UPDATE` of it first thing (created when missing) (a write, so Galera's certification sees it too); on SQLite
 *   `BEGIN IMMEDIATE` takes the database's write lock and the store queues its transactions
 *   on its one connection. A locked SQLite file answers `SQLITE_BUSY` at once
 *   (`busy_timeout = 0`): the transaction is rolled back, the store's queue let go (its reads
 *   and other calls run meanwhile), and it is tried again after a pause on a timer, until
 *   `lockTimeoutMs` has passed since the call was made — the host's event loop never blocks.
 * - Reads run in a read-only transaction (one snapshot on PostgreSQL and MySQL), without the lock.
 * - A unique-index violation of the account ID answers `id_taken`; of the name, reruns `work`,
 *   which then answers `name_taken` with the account that holds the name.
 * - A deadlock or serialization failure reruns `work` from the start, up to
 *   {@link MAX_TRANSACTION_ATTEMPTS} times ({@link MAX_CONFLICT_ATTEMPTS} for a MySQL deadlock,
 *   which on Galera is a certification conflict, also when `COMMIT` itself is refused);
 *   then `store_failure`. `work` must therefore be
 *   safe to run again (operations read, decide and write inside it, so they are).
 * - Lock waits are bounded by `lockTimeoutMs` (R49): a write that cannot take its domain's lock
 *   in time fails with `store_failure` (`outcome: 'rolled_back'`) and is not retried.
 * - A connection lost while `COMMIT` runs answers `store_failure` with `outcome: 'unknown'`
 *   (the change may have been kept, R27); it is not retried.
 * - Nothing throws out: every other failure is `store_failure` with the driver's error as `cause`.
 */
export function transactionRunner(
  db: Kysely<CxDatabase>,
  caps: SqlCapabilities,
  options: { lockTimeoutMs?: number } = {},
): TransactionRunner {
  const queries = preparedQueries(db);
  const memos = { agents: accountAgentMemo(), settingsOf: settingsMemo() };
  const queue = serialQueue();
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const busyWaits = caps.domainLock === 'database';
  // SQLite: a statement outside a transaction (a backup chunk written or deleted) that finds
  // the file locked is tried again on timers as well, out of the queue meanwhile.
  const exclusive: Exclusive = caps.singleConnection
    ? (task) => (busyWaits ? retryWhileBusy(() => queue(task), lockTimeoutMs) : queue(task))
    : (task) => task();
  const beginWrite = [...caps.beginWrite, ...writeTransactionLimits(caps.dialect, lockTimeoutMs)].map(rawStatement);
  const sessionLimits = sessionLockLimits(caps.dialect, lockTimeoutMs).map(rawStatement);
  const limitedConnections = new WeakSet<DatabaseConnection>();
  const beginRead = caps.beginRead.map(rawStatement);
  const commit = rawStatement('commit');

  const insertDomainRow = (connection: DatabaseConnection, domainId: string) =>
    queries.run(connection, caps.upsert === 'on-conflict' ? ENSURE_DOMAIN_ON_CONFLICT : ENSURE_DOMAIN_ON_DUPLICATE, [domainId]);

  /**
   * Locks the domain's row by writing it (see `domain-lock.ts`: a write also serialises the
   * nodes of a Galera cluster). The first write of a new domain finds no row and makes it, in
   * the transaction: so every wait, this one included, is bounded by `lockTimeoutMs` (an insert
   * outside it would wait unbounded behind a writer frozen while holding the row, R49).
   */
  const lockDomain = async (connection: DatabaseConnection, domainId: string) => {
    const lock = () => {
      // PostgreSQL: the statements after the lock run with the session's own statement_timeout (see domain-lock.ts).
      const sessionTimeout = sessionStatementTimeouts.get(connection);
      return sessionTimeout === undefined
        ? queries.run(connection, LOCK_DOMAIN_BY_WRITE, [domainId])
        : queries.run(connection, LOCK_DOMAIN_BY_WRITE_THEN_UNBOUND, [domainId, sessionTimeout]);
    };
    const locked = await lock();
    if (Number(locked.numAffectedRows ?? 0) > 0 || locked.rows.length > 0) return;
    await insertDomainRow(connection, domainId);
    await lock();
  };

  /** PostgreSQL: each connection's own `statement_timeout`, read once, put back once the domain is locked. */
  const sessionStatementTimeouts = new WeakMap<DatabaseConnection, string>();

  /** Bounds the lock waits of a connection's session, once per connection (drivers keep one object per connection). */
  const limitSession = async (connection: DatabaseConnection) => {
    if (limitedConnections.has(connection)) return;
    for (const statement of sessionLimits) await connection.executeQuery(statement);
    if (caps.dialect === 'postgres') {
      const { rows } = await connection.executeQuery<{ timeout: string }>(SESSION_STATEMENT_TIMEOUT);
      sessionStatementTimeouts.set(connection, rows[0]?.timeout ?? '0');
    }
    limitedConnections.add(connection);
  };

  // The driver connection itself (Kysely's `ConnectionProvider`): statements go straight to
  // the driver, built by `db`, with nothing rebuilt per transaction.
  const attempt = <T>(domainId: string, mode: TransactionMode, work: Work<T>, takesDomainLock: boolean): Promise<Attempt<T>> =>
    db.getExecutor().provideConnection(async (connection) => {
      const writing = mode !== 'read';
      const rowLock = writing && caps.domainLock === 'row' && takesDomainLock;
      // Whether a failure came while taking the domain's lock (R49 says which it was).
      let phase: Phase = writing ? 'lock' : 'work';
      try {
        await limitSession(connection);
        for (const statement of writing ? beginWrite : beginRead) await connection.executeQuery(statement);
        if (rowLock) await lockDomain(connection, domainId);
        phase = 'work';
        const tx = new SqlStoreTransaction(connection, db, caps, queries, domainId, memos);
        let result: Result<T, CxError> | undefined;
        let thrown: { error: unknown } | null = null;
        try {
          result = await work(tx);
          if (result?.isOk() && !tx.failure()) await tx.beforeCommit();
        } catch (error) {
          thrown = { error };
        }
        const failure = tx.failure() ?? thrown;
        if (failure) {
          await rollbackQuietly(connection);
          return classify<T>(failure.error, phase, busyWaits);
        }
        if (!result || result.isErr()) {
          await rollbackQuietly(connection);
          return { retry: false, result: result ?? err(storeFailure(new Error('transaction work answered nothing'))) };
        }
        try {
          await connection.executeQuery(commit);
        } catch (error) {
          if (isConnectionLost(error)) return { retry: false, result: err(commitOutcomeUnknown(error)) };
          throw error;
        }
        tx.afterCommit();
        return { retry: false, result };
      } catch (error) {
        await rollbackQuietly(connection);
        return classify<T>(error, phase, busyWaits);
      }
    });

  return {
    exclusive,
    async transaction<T>(domainId: string, mode: TransactionMode, work: Work<T>, options: RunOptions = {}): Promise<Result<T, CxError>> {
      const takesDomainLock = options.lockDomain !== false;
      const calledAt = performance.now();
      let busyTries = 0;
      for (let attemptNumber = 1; ; attemptNumber++) {
        let outcome: Attempt<T>;
        try {
          outcome = await (caps.singleConnection ? queue(() => attempt(domainId, mode, work, takesDomainLock)) : attempt(domainId, mode, work, takesDomainLock));
        } catch (error) {
          // Acquiring a connection failed (closed store, unreachable server).
          outcome = classify<T>(error, 'work', busyWaits);
        }
        if (!outcome.retry) return outcome.result;
        if (outcome.retry === 'busy') {
          // Out of the queue, on a timer: the store's other calls and the host's event loop run.
          const remaining = lockTimeoutMs - (performance.now() - calledAt);
          if (remaining <= 0) return err(sqliteLockTimeout(outcome.cause, lockTimeoutMs));
          await pause(busyPauseMillis(busyTries++, remaining));
          attemptNumber -= 1;
          continue;
        }
        if (outcome.nameTaken && attemptNumber >= 2) {
          // Refused again: the holder cannot be read (a store port user wrote the name itself).
          return err(nameTaken(null, 'an account of this domain already has this name (another call took it first)'));
        }
        if (attemptNumber >= (isConflictAbort(outcome.cause) ? MAX_CONFLICT_ATTEMPTS : MAX_TRANSACTION_ATTEMPTS)) {
          return err(
            storeFailure(
              outcome.cause,
              `storage failed: gave up after ${attemptNumber} attempts (${describeCause(outcome.cause)})`,
            ),
          );
        }
        await delay(backoffMillis(attemptNumber));
      }
    },
  };
}

/** What a write was doing when it failed: waiting for its domain's lock, or its work. */
type Phase = 'lock' | 'work';

const SESSION_STATEMENT_TIMEOUT = rawStatement("select current_setting('statement_timeout') as timeout");

function classify<T>(thrown: unknown, phase: Phase, busyWaits = false): Attempt<T> {
  // A method of the transaction throws the driver's error on as a `StoreError` (its cause).
  if (thrown instanceof StoreError && !('cause' in thrown)) return { retry: false, result: err(storeFailureOf(thrown)) };
  const error = thrown instanceof StoreError ? thrown.cause : thrown;
  if (busyWaits && isSqliteBusy(error)) return { retry: 'busy', cause: error };
  const rule = violatedUniqueRule(error);
  if (rule === 'account_id') {
    return { retry: false, result: err(ruleError('id_taken', 'this account ID is already in use (another call took it first)')) };
  }
  // Another write took the name first (writes of a domain are serialised, so rare): run the
  // operation again, whose read then finds the account that holds it (R50's `accountId`).
  if (rule === 'account_name') return { retry: true, cause: error, nameTaken: true };
  if (isRetryableFailure(error)) return { retry: true, cause: error };
  // PostgreSQL: while the domain's lock is taken, statement_timeout is lockTimeoutMs too (see domain-lock.ts).
  if (isLockWaitTimeout(error) || (phase === 'lock' && isStatementTimeout(error))) {
    const message =
      phase === 'lock'
        ? `storage failed: could not take the domain's lock within lockTimeoutMs: another write of the domain held it (${describeCause(error)})`
        : `storage failed: a lock wait ran past lockTimeoutMs: another transaction held a row this write needed (${describeCause(error)})`;
    return { retry: false, result: err(storeFailure(error, message)) };
  }
  if (isStatementTimeout(error)) {
    const message = `storage failed: a statement was cancelled by the database's own time limit (statement_timeout or max_statement_time of the session or server) or a cancel request, not a lock wait: the write held its lock and ran too long (${describeCause(error)})`;
    return { retry: false, result: err(storeFailure(error, message)) };
  }
  return { retry: false, result: err(thrown instanceof StoreError ? storeFailureOf(thrown) : storeFailure(error)) };
}

/** SQLite: the file's write lock stayed taken by another connection for `lockTimeoutMs` (R49). */
function sqliteLockTimeout(error: unknown, lockTimeoutMs: number): CxError {
  return storeFailure(
    error,
    `storage failed: could not take the domain's lock within lockTimeoutMs (${lockTimeoutMs} ms): another connection held the SQLite database's write lock the whole time (${describeCause(error)})`,
  );
}

/** The connection was lost while `COMMIT` ran: nobody can know whether the change was kept (R27). */
function commitOutcomeUnknown(error: unknown): CxError {
  return storeFailure(
    error,
    `storage failed while committing: the connection was lost, so the change may or may not have been kept (${describeCause(error)}); retrying with the same messageId is safe`,
    'unknown',
  );
}

const ROLLBACK = rawStatement('rollback');

async function rollbackQuietly(connection: DatabaseConnection): Promise<void> {
  try {
    await connection.executeQuery(ROLLBACK);
  } catch {
    // The transaction is gone already (connection lost, or a deadlock rolled it back).
  }
}

/** Randomised, growing (up to a cap) pause before a retry, so colliding transactions do not collide again. */
function backoffMillis(attemptNumber: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MILLIS, 10 * 2 ** attemptNumber);
}

function delay(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { storeFailure } from '../../src/errors.js';
import { pendingBackupJob } from '../../src/history/backup-job.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { allHistory, collect, gate, historyFixture, hookedStore, type HistoryFixture } from '../backup-fixture.js';
import { expectedRecords, fileRecords, readJobRecord, seedHistory } from './backup-point-in-time.js';
import { readAllEvents } from './events.js';
import { expectErr, expectOk } from './expectations.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const fileText = async (store: Store, domainId: string, fileId: string) => text(await collect(store.readBackupChunks(domainId, fileId)));

/** Every attempt's file of a job, as text, concatenated: empty when no chunk of the job is left. */
async function everyAttempt(store: Store, domainId: string, jobId: string, attempts: number): Promise<string> {
  let all = '';
  for (let attempt = 1; attempt <= attempts; attempt++) all += await fileText(store, domainId, `${jobId}.${attempt}`);
  return all;
}

/**
 * R42 and backups: an erasure reaches the backups still being made, no chunk of any attempt
 * outlives its job, and a runner that lost its job writes nothing more; R27: a pass of the
 * runner that kept part of its work never answers `rolled_back`.
 */
export function erasureAndTakeoverCases(current: () => Store) {
  describe('R42 erasure and backups; no chunk outlives its job; R27 runner outcomes', () => {
    it('R42: a customer erased while a backup runs is in none of its chunks from that commit on, and the file ends without it, with an exact rowsTotal', async () => {
      let fixture!: HistoryFixture;
      let jobId = '';
      let erasedAt: number | null = null;
      const store = hookedStore(current(), {
        afterRead: async (read) => {
          if (read.index !== 2 || erasedAt !== null) return;
          // Two pages are in the file already, and they hold c2 ('=박').
          expect(await fileText(current(), 'acme', `${jobId}.1`)).toContain('박');
          const report = expectOk(await fixture.cx.customers.erase('acme', 'c2'));
          expect(report.messages).toBeGreaterThan(0);
          erasedAt = read.index;
          // From the commit on, the job holds nothing of c2: its chunks are gone, its progress starts again.
          expect(await readJobRecord(current(), 'acme', jobId)).toMatchObject({ status: 'pending', attempt: 1, rowsDone: 0, rowsTotal: null });
          expect(await fileText(current(), 'acme', `${jobId}.1`)).toBe('');
        },
      });
      fixture = historyFixture(store, { runner: 'manual', chunkBytes: 64, pageSize: 3 });
      await seedHistory(fixture);
      jobId = expectOk(await fixture.cx.history.startBackup('acme')).id;
      // The runner that was writing it takes it up again, from the history after the erasure.
      const finished = expectOk(await fixture.cx.history.runBackup('acme', jobId));
      expect(erasedAt).toBe(2);
      expect(finished.status, finished.failureReason).toBe('ready');
      const after = await allHistory(fixture.cx, 'acme');
      expect(after.some((message) => message.customerId === 'c2')).toBe(false);
      const bytes = await collect(expectOk(await fixture.cx.history.download('acme', jobId)));
      expect(text(bytes)).not.toContain('박');
      expect(fileRecords(bytes, 'csv')).toEqual(expectedRecords(after, 'csv'));
      expect(finished).toMatchObject({ rowsDone: after.length, rowsTotal: after.length });
      expect(await readJobRecord(current(), 'acme', jobId)).toMatchObject({ attempt: 2 });
      expect(await fileText(current(), 'acme', `${jobId}.1`)).toBe('');
      const types = (await readAllEvents(fixture.cx, 'acme')).filter((event) => (event.data as { jobId?: string }).jobId === jobId).map((event) => event.type);
      expect(types).toEqual(['backup.requested', 'backup.ready']);
    });

    it('R42: a pending backup never sees an erased customer; a running one whose file takes none of its messages goes on untouched', async () => {
      let fixture!: HistoryFixture;
      let jobId = '';
      let erased = false;
      const store = hookedStore(current(), {
        afterRead: async () => {
          if (erased) return;
          erased = true;
          expectOk(await fixture.cx.customers.erase('acme', 'c3'));
          expect(await readJobRecord(current(), 'acme', jobId)).toMatchObject({ status: 'running', attempt: 1 });
        },
      });
      fixture = historyFixture(store, { runner: 'manual', chunkBytes: 64, pageSize: 3 });
      await seedHistory(fixture, 20);
      expectOk(await fixture.cx.conversations.addContact('acme', 'help', { customerId: 'c3', name: 'Only Help', channel: 'line' }));
      expectOk(await fixture.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c3', content: 'help only', channel: 'line', at: new Date('2026-11-24T23:50:30Z') }));

      const pending = expectOk(await fixture.cx.history.startBackup('acme')).id;
      expectOk(await fixture.cx.customers.erase('acme', 'c1'));
      erased = true;
      const first = expectOk(await fixture.cx.history.runBackup('acme', pending));
      expect(first.status).toBe('ready');
      expect(text(await collect(expectOk(await fixture.cx.history.download('acme', pending))))).not.toContain('Lee');

      erased = false;
      jobId = expectOk(await fixture.cx.history.startBackup('acme', { accountIds: ['sales'] })).id;
      const second = expectOk(await fixture.cx.history.runBackup('acme', jobId));
      expect(erased).toBe(true);
      expect(second.status).toBe('ready');
      expect(await readJobRecord(current(), 'acme', jobId)).toMatchObject({ attempt: 1 });
      const sales = await allHistory(fixture.cx, 'acme', { accountId: 'sales' });
      expect(second).toMatchObject({ rowsDone: sales.length, rowsTotal: sales.length });
    });

    it('R42: a runner frozen, taken over, then resumed and killed writes no chunk after the takeover, and the cleanup leaves no chunk of any attempt', async () => {
      const frozen = gate();
      const resume = gate();
      const killed = gate();
      let resumed = false;
      const inner = current();
      const hooked = hookedStore(inner, {
        afterRead: (read) => {
          if (read.index !== 1) return undefined;
          frozen.release();
          return resume.promise.then(() => {
            resumed = true;
          });
        },
      });
      // After it resumes, the first runner's process is killed right after its next chunk write.
      const dying: Store = {
        ...hooked,
        transaction: (...args) => hooked.transaction(...args),
        appendBackupChunk: async (...args) => {
          const stored = await inner.appendBackupChunk(...args);
          if (!resumed) return stored;
          killed.release();
          return new Promise<boolean>(() => {});
        },
      };
      const first = historyFixture(dying, { runner: 'manual', chunkBytes: 40, pageSize: 2, staleAfterMs: MINUTE });
      await seedHistory(first, 12);
      const jobId = expectOk(await first.cx.history.startBackup('acme')).id;
      void first.cx.history.runBackup('acme', jobId);
      await frozen.promise;

      const next = historyFixture(inner, { runner: 'manual', chunkBytes: 40, pageSize: 2, staleAfterMs: MINUTE }, new Date(first.now().getTime() + 2 * MINUTE).toISOString());
      expect(expectOk(await next.cx.history.runPendingBackups())).toMatchObject({ ready: 1, failed: 0 });
      const ready = expectOk(await next.cx.history.job('acme', jobId));
      expect(await readJobRecord(inner, 'acme', jobId)).toMatchObject({ status: 'ready', attempt: 2 });
      // The takeover deleted what the first attempt had written.
      expect(await fileText(inner, 'acme', `${jobId}.1`)).toBe('');

      resume.release();
      await killed.promise;
      // The stale attempt was refused its chunk: nothing of it is stored, and the file of the job is whole.
      expect(await fileText(inner, 'acme', `${jobId}.1`)).toBe('');
      expect((await collect(expectOk(await next.cx.history.download('acme', jobId)))).byteLength).toBe(ready.byteLength);

      next.advance(8 * DAY);
      expect(expectOk(await next.cx.history.deleteExpiredBackups())).toBe(1);
      expect(await readJobRecord(inner, 'acme', jobId)).toBeNull();
      expect(await everyAttempt(inner, 'acme', jobId, 3)).toBe('');
    });

    it('R42: the retention cleanup and a cancel delete the files of every attempt, not only the last one', async () => {
      const store = current();
      const fixture = historyFixture(store, { runner: 'manual' });
      const base = pendingBackupJob('acme', 'left-behind', fixture.now());
      const ready = { ...base, status: 'ready' as const, attempt: 3, readyAt: fixture.now(), byteLength: 3, watermark: 0, rowsDone: 0, rowsTotal: 0 };
      const running = { ...pendingBackupJob('acme', 'to-cancel', fixture.now()), status: 'running' as const, attempt: 2, heartbeatAt: fixture.now(), startedAt: fixture.now(), watermark: 0 };
      for (const job of [ready, running]) expectOk(await store.transaction('acme', 'write', async (tx) => ok(await tx.insertBackupJob(job))));
      for (const [jobId, attempts] of [['left-behind', 3], ['to-cancel', 2]] as const) {
        for (let attempt = 1; attempt <= attempts; attempt++) await store.appendBackupChunk('acme', `${jobId}.${attempt}`, 0, new TextEncoder().encode(`attempt ${attempt}`));
      }
      expect(await everyAttempt(store, 'acme', 'to-cancel', 2)).toBe('attempt 1attempt 2');

      expect(expectOk(await fixture.cx.history.cancel('acme', 'to-cancel')).status).toBe('cancelled');
      expect(await everyAttempt(store, 'acme', 'to-cancel', 2)).toBe('');

      fixture.advance(8 * DAY);
      expect(expectOk(await fixture.cx.history.deleteExpiredBackups())).toBe(2);
      expect(await everyAttempt(store, 'acme', 'left-behind', 3)).toBe('');
    });

    it('R42: the store stores a chunk only while its lease holds; unfinished jobs are listed per domain and files deleted within a transaction', async () => {
      const store = current();
      const at = new Date('2026-11-25T03:00:00.000Z');
      const running = { ...pendingBackupJob('acme', 'j1', at), status: 'running' as const, attempt: 2, heartbeatAt: at, startedAt: at, watermark: 0 };
      const pending = pendingBackupJob('acme', 'j2', new Date(at.getTime() + 1));
      const done = { ...pendingBackupJob('acme', 'j3', at), status: 'ready' as const, attempt: 1, readyAt: at };
      for (const job of [running, pending, done, pendingBackupJob('globex', 'j4', at)]) {
        expectOk(await store.transaction(job.domainId, 'write', async (tx) => ok(await tx.insertBackupJob(job))));
      }
      const bytes = new TextEncoder().encode('chunk');
      expect(await store.appendBackupChunk('acme', 'j1.1', 0, bytes, { jobId: 'j1', attempt: 1 })).toBe(false);
      expect(await store.appendBackupChunk('acme', 'j2.1', 0, bytes, { jobId: 'j2', attempt: 1 })).toBe(false);
      expect(await store.appendBackupChunk('acme', 'j3.1', 0, bytes, { jobId: 'j3', attempt: 1 })).toBe(false);
      expect(await store.appendBackupChunk('globex', 'j1.2', 0, bytes, { jobId: 'j1', attempt: 2 })).toBe(false);
      expect(await fileText(store, 'acme', 'j1.1')).toBe('');
      expect(await fileText(store, 'acme', 'j3.1')).toBe('');
      expect(await store.appendBackupChunk('acme', 'j1.2', 0, bytes, { jobId: 'j1', attempt: 2 })).not.toBe(false);
      expect(await fileText(store, 'acme', 'j1.2')).toBe('chunk');

      const unfinished = expectOk(await store.transaction('acme', 'read', async (tx) => ok(await tx.listBackupJobs(['pending', 'running']))));
      expect(unfinished.map((job) => [job.jobId, job.status])).toEqual([
        ['j1', 'running'],
        ['j2', 'pending'],
      ]);
      const ended = expectOk(await store.transaction('acme', 'read', async (tx) => ok(await tx.listBackupJobs(['ready', 'cancelled']))));
      expect(ended.map((job) => job.jobId)).toEqual(['j3']);
      expect(expectOk(await store.transaction('acme', 'read', async (tx) => ok(await tx.listBackupJobs([]))))).toEqual([]);
      const refused = await store.transaction('acme', 'write', async (tx) => {
        await tx.deleteBackupFiles(['j1.2']);
        return err(storeFailure(new Error('changed my mind')));
      });
      expect(refused.isErr()).toBe(true);
      expect(await fileText(store, 'acme', 'j1.2')).toBe('chunk');
      expectOk(await store.transaction('globex', 'write', async (tx) => ok(await tx.deleteBackupFiles(['j1.2']))));
      expect(await fileText(store, 'acme', 'j1.2')).toBe('chunk');
      expectOk(await store.transaction('acme', 'write', async (tx) => ok(await tx.deleteBackupFiles(['j1.2']))));
      expect(await fileText(store, 'acme', 'j1.2')).toBe('');
    });

    it('R27: a runner pass that fails after part of its batch was kept never answers rolled_back, and says what became of each job', async () => {
      let failOn: string | null = null;
      const inner = current();
      const failing: Store = {
        ...inner,
        transaction: (domainId, mode, work) =>
          inner.transaction(domainId, mode, (tx) =>
            work(
              new Proxy(tx, {
                get(target, property) {
                  if (property === 'getBackupJob') {
                    return async (jobId: string) => {
                      if (jobId === failOn && mode === 'write') throw new Error('connection terminated unexpectedly');
                      return target.getBackupJob(jobId);
                    };
                  }
                  const value: unknown = Reflect.get(target, property, target);
                  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
                },
              }) as StoreTransaction,
            ),
          ),
      };
      const fixture = historyFixture(failing, { runner: 'manual' });
      await seedHistory(fixture, 4);
      const firstJob = expectOk(await fixture.cx.history.startBackup('acme')).id;
      fixture.advance(1000);
      const secondJob = expectOk(await fixture.cx.history.startBackup('acme')).id;

      // Nothing kept: the claim of the first job failed, and that is a rollback indeed.
      failOn = firstJob;
      expect(expectErr(await fixture.cx.history.runPendingBackups(), 'store_failure').outcome).toBe('rolled_back');
      expect(expectOk(await fixture.cx.history.job('acme', firstJob)).status).toBe('pending');

      // The first job is made ready and kept, then the second one's claim fails.
      failOn = secondJob;
      const failed = expectErr(await fixture.cx.history.runPendingBackups(), 'store_failure');
      expect(failed.outcome).toBe('unknown');
      expect(failed.message).toContain(`backup ${firstJob} of acme: ready`);
      expect(failed.message).toContain(secondJob);
      expect(expectOk(await fixture.cx.history.job('acme', firstJob)).status).toBe('ready');
      expect(expectOk(await fixture.cx.history.job('acme', secondJob)).status).toBe('pending');
    });
  });
}

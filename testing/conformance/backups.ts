import { ok, err } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ruleError } from '../../src/errors.js';
import { pendingBackupJob } from '../../src/history/backup-job.js';
import type { BackupJobRecord, HistoryFilter, HistoryPosition, HistoryRow } from '../../src/ports/records.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import type { StoreFactory } from '../conformance-fixture.js';
import {
  backupNow,
  collect,
  eventually,
  expectedRecords,
  firstSix,
  gate,
  HEADER,
  historyFixture,
  hookedStore,
  parseBackup,
  type ExpectedRow,
  type HistoryFixture,
} from '../backup-fixture.js';
import { pointInTimeCases } from './backup-point-in-time.js';
import { erasureAndTakeoverCases } from './backup-erasure.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Registers the backup cases (R25, R26, R45, R46, R49) as vitest tests against a store: the
 * store-level port (jobs, chunks, listings, history reads up to a point in time) and the whole
 * `history` flow through `createCxAccounts` — filters and formats, a point in time under racing
 * writes, a runner killed mid-way, progress, cancel, and downloads that never end short. Every
 * test gets a fresh store from `setup` and gives it back to `teardown`. Call it from a vitest
 * test file.
 *
 * @example
 * ```ts
 * // my-store.backups.test.ts
 * import { describeBackupConformance } from 'cx-accounts/testing';
 * import { memoryStore } from 'cx-accounts/memory';
 *
 * describeBackupConformance({ name: 'memory', setup: async () => memoryStore(), teardown: async () => {} });
 * ```
 *
 * @category Stores
 */
export function describeBackupConformance<S extends Store>(factory: StoreFactory<S>): void {
  describe(`backup conformance: ${factory.name}`, () => {
    let store: S | undefined;
    beforeEach(async () => {
      store = await factory.setup();
    });
    afterEach(async () => {
      if (store) await factory.teardown(store);
      store = undefined;
    });
    const current = (): Store => {
      if (!store) throw new Error('backup conformance store used outside a test');
      return store;
    };
    storePortCases(current);
    jobLifecycleCases(current);
    fileCases(current);
    pointInTimeCases(current);
    erasureAndTakeoverCases(current);
  });
}

function jobRecord(fields: Partial<BackupJobRecord> & { jobId: string }): BackupJobRecord {
  return { ...pendingBackupJob('acme', fields.jobId, new Date('2026-11-25T03:00:00.000Z')), ...fields };
}

async function insertJobs(store: Store, jobs: BackupJobRecord[]): Promise<void> {
  for (const job of jobs) {
    (await store.transaction(job.domainId, 'write', async (tx) => ok(await tx.insertBackupJob(job))))._unsafeUnwrap();
  }
}

async function readJobRecord(store: Store, domainId: string, jobId: string): Promise<BackupJobRecord | null> {
  return (await store.transaction(domainId, 'read', async (tx) => ok(await tx.getBackupJob(jobId))))._unsafeUnwrap();
}

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function storePortCases(current: () => Store) {
  describe('store port', () => {
    it('R25: a backup job is kept per domain: insert, read, replace, delete; rolled back with its transaction', async () => {
      const store = current();
      const job = jobRecord({ jobId: 'j1' });
      await insertJobs(store, [job]);
      expect(await readJobRecord(store, 'acme', 'j1')).toEqual(job);
      expect(await readJobRecord(store, 'globex', 'j1')).toBeNull();

      const filtered = jobRecord({
        jobId: 'j0',
        filter: { from: new Date('2026-01-01T00:00:00.001Z'), to: new Date('9999-12-31T23:59:59.999Z'), accountIds: ['help', 'Sales2'] },
        format: 'jsonl',
      });
      await insertJobs(store, [filtered]);
      expect(await readJobRecord(store, 'acme', 'j0')).toEqual(filtered);

      const running: BackupJobRecord = {
        ...job,
        status: 'ready' as const,
        startedAt: new Date('2026-11-25T03:01:00.000Z'),
        readyAt: new Date('2026-11-25T03:02:00.000Z'),
        heartbeatAt: new Date('2026-11-25T03:02:00.000Z'),
        attempt: 2,
        byteLength: 1234,
        failureReason: null,
        watermark: 9_007_199_254_740,
        rowsDone: 1_000_000,
        rowsTotal: 1_000_000,
      };
      (
        await store.transaction('acme', 'write', async (tx) => {
          await tx.claimBackupJob('j1', { attempt: 2, at: new Date('2026-11-25T03:01:00.000Z'), watermark: 9_007_199_254_740 });
          await tx.markBackupReady('j1', { at: new Date('2026-11-25T03:02:00.000Z'), byteLength: 1234, rows: 1_000_000 });
          return ok(undefined);
        })
      )._unsafeUnwrap();
      expect(await readJobRecord(store, 'acme', 'j1')).toEqual(running);

      const failed = await store.transaction('acme', 'write', async (tx) => {
        await tx.insertBackupJob(jobRecord({ jobId: 'j2' }));
        await tx.markBackupFailed('j1', 'x', new Date('2026-11-25T03:03:00.000Z'));
        return err(ruleError('backup_not_ready', 'roll back'));
      });
      expect(failed.isErr()).toBe(true);
      expect(await readJobRecord(store, 'acme', 'j2')).toBeNull();
      expect(await readJobRecord(store, 'acme', 'j1')).toEqual(running);

      (await store.transaction('globex', 'write', async (tx) => ok(await tx.deleteBackupJob('j1'))))._unsafeUnwrap();
      expect(await readJobRecord(store, 'acme', 'j1')).toEqual(running);
      (await store.transaction('acme', 'write', async (tx) => ok(await tx.deleteBackupJob('j1'))))._unsafeUnwrap();
      expect(await readJobRecord(store, 'acme', 'j1')).toBeNull();
    });

    it('R25 R42 R46: each backup job write sets its own fields and keeps the others; a missing job is refused', async () => {
      const store = current();
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 3, minute));
      const job = jobRecord({ jobId: 'j3' });
      await insertJobs(store, [job]);
      const write = async (change: (tx: StoreTransaction) => Promise<void>) =>
        (await store.transaction('acme', 'write', async (tx) => ok(await change(tx))))._unsafeUnwrap();

      await write((tx) => tx.claimBackupJob('j3', { attempt: 1, at: at(1), watermark: 7 }));
      const claimed = { ...job, status: 'running' as const, attempt: 1, startedAt: at(1), heartbeatAt: at(1), watermark: 7, rowsDone: 0, rowsTotal: null };
      expect(await readJobRecord(store, 'acme', 'j3')).toEqual(claimed);
      await write((tx) => tx.recordBackupProgress('j3', { rowsTotal: 40 }));
      await write((tx) => tx.recordBackupProgress('j3', { heartbeatAt: at(2), rowsDone: 10 }));
      expect(await readJobRecord(store, 'acme', 'j3')).toEqual({ ...claimed, heartbeatAt: at(2), rowsDone: 10, rowsTotal: 40 });
      await write((tx) => tx.requeueBackupJob('j3'));
      const requeued = { ...claimed, status: 'pending' as const, startedAt: null, heartbeatAt: null, rowsDone: 0, rowsTotal: null };
      expect(await readJobRecord(store, 'acme', 'j3')).toEqual(requeued);
      await write((tx) => tx.markBackupFailed('j3', 'disk full', at(3)));
      expect(await readJobRecord(store, 'acme', 'j3')).toEqual({ ...requeued, status: 'failed', failureReason: 'disk full', heartbeatAt: at(3) });
      await write((tx) => tx.cancelBackupJob('j3'));
      expect(await readJobRecord(store, 'acme', 'j3')).toEqual({ ...requeued, status: 'cancelled', heartbeatAt: at(3) });

      const missing: ((tx: StoreTransaction) => Promise<void>)[] = [
        (tx) => tx.claimBackupJob('nope', { attempt: 1, at: at(1), watermark: 1 }),
        (tx) => tx.recordBackupProgress('nope', { rowsDone: 1 }),
        (tx) => tx.recordBackupProgress('nope', {}),
        (tx) => tx.markBackupReady('nope', { at: at(1), byteLength: 1, rows: 1 }),
        (tx) => tx.markBackupFailed('nope', 'x', at(1)),
        (tx) => tx.cancelBackupJob('nope'),
        (tx) => tx.requeueBackupJob('nope'),
        // Another domain's job is not this domain's.
        (tx) => tx.cancelBackupJob('j3'),
      ];
      for (const [index, change] of missing.entries()) {
        const domain = index === missing.length - 1 ? 'globex' : 'acme';
        const answer = await store.transaction(domain, 'write', async (tx) => ok(await change(tx)));
        expect(answer.isErr() && answer.error.code).toBe('store_failure');
      }
    });

    it('R25: runnable jobs of every domain: pending ones and running ones with a stale heartbeat, oldest first', async () => {
      const store = current();
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 3, minute));
      await insertJobs(store, [
        jobRecord({ jobId: 'p2', requestedAt: at(2) }),
        jobRecord({ jobId: 'p1', domainId: 'globex', requestedAt: at(1) }),
        jobRecord({ jobId: 'stale', status: 'running', requestedAt: at(3), attempt: 1, startedAt: at(3), heartbeatAt: at(5) }),
        jobRecord({ jobId: 'fresh', status: 'running', requestedAt: at(0), attempt: 1, startedAt: at(0), heartbeatAt: at(20) }),
        jobRecord({ jobId: 'ready', status: 'ready', requestedAt: at(0), attempt: 1, readyAt: at(1), byteLength: 3 }),
        jobRecord({ jobId: 'failed', status: 'failed', requestedAt: at(0), attempt: 1, failureReason: 'x' }),
      ]);
      const runnable = await store.listRunnableBackupJobs(at(10), 10);
      expect(runnable.map((job) => [job.domainId, job.jobId])).toEqual([
        ['globex', 'p1'],
        ['acme', 'p2'],
        ['acme', 'stale'],
      ]);
      expect((await store.listRunnableBackupJobs(at(10), 2)).map((job) => job.jobId)).toEqual(['p1', 'p2']);
      expect(runnable[2]).toEqual(jobRecord({ jobId: 'stale', status: 'running', requestedAt: at(3), attempt: 1, startedAt: at(3), heartbeatAt: at(5) }));
    });

    it('R25, R46: expired jobs of every domain: ready ones by readyAt, failed and cancelled ones by requestedAt', async () => {
      const store = current();
      const day = (n: number) => new Date(Date.UTC(2026, 10, n));
      await insertJobs(store, [
        jobRecord({ jobId: 'old-ready', status: 'ready', requestedAt: day(1), readyAt: day(2), attempt: 1, byteLength: 3 }),
        jobRecord({ jobId: 'new-ready', status: 'ready', requestedAt: day(1), readyAt: day(20), attempt: 1, byteLength: 3 }),
        jobRecord({ jobId: 'old-failed', domainId: 'globex', status: 'failed', requestedAt: day(3), attempt: 1, failureReason: 'x' }),
        jobRecord({ jobId: 'new-failed', status: 'failed', requestedAt: day(15), attempt: 1, failureReason: 'x' }),
        jobRecord({ jobId: 'old-pending', requestedAt: day(1) }),
        jobRecord({ jobId: 'old-running', status: 'running', requestedAt: day(1), attempt: 1, heartbeatAt: day(1) }),
        jobRecord({ jobId: 'old-cancelled', status: 'cancelled', requestedAt: day(4), attempt: 1 }),
        jobRecord({ jobId: 'new-cancelled', status: 'cancelled', requestedAt: day(16) }),
      ]);
      const expired = await store.listExpiredBackupJobs(day(10), 10);
      expect(expired.map((job) => [job.domainId, job.jobId])).toEqual([
        ['acme', 'old-ready'],
        ['globex', 'old-failed'],
        ['acme', 'old-cancelled'],
      ]);
      expect(await store.listExpiredBackupJobs(day(10), 1)).toHaveLength(1);
    });

    it('R26: a backup file is kept as ordered chunks per domain and file id, and deleted whole', async () => {
      const store = current();
      const chunks = [bytes('\uFEFFaccount_id'), bytes('상담,'), new Uint8Array(70_000).fill(0x61)];
      for (const [seq, chunk] of chunks.entries()) await store.appendBackupChunk('acme', 'j1.1', seq, chunk);
      await store.appendBackupChunk('acme', 'j1.2', 0, bytes('other attempt'));
      await store.appendBackupChunk('globex', 'j1.1', 0, bytes('other domain'));

      const read: Uint8Array[] = [];
      for await (const chunk of store.readBackupChunks('acme', 'j1.1')) read.push(chunk);
      expect(read.map((chunk) => [...chunk])).toEqual(chunks.map((chunk) => [...chunk]));
      expect(await collect(store.readBackupChunks('acme', 'missing.1'))).toHaveLength(0);

      await store.deleteBackupChunks('acme', 'j1.1');
      expect(await collect(store.readBackupChunks('acme', 'j1.1'))).toHaveLength(0);
      expect(new TextDecoder().decode(await collect(store.readBackupChunks('acme', 'j1.2')))).toBe('other attempt');
      expect(new TextDecoder().decode(await collect(store.readBackupChunks('globex', 'j1.1')))).toBe('other domain');
      await store.deleteBackupChunks('acme', 'never-written.1');
    });

    it('R45: history reads up to an event seq: every account that ever had an ID, keyset pages, and a count that agrees', async () => {
      const fixture = historyFixture(current());
      const { cx } = fixture;
      await fixture.seedProducts();
      await fixture.account('acme', 'help', 'Old Help', 'Asia/Seoul');
      await fixture.account('acme', 'sales', 'Sales');
      await fixture.account('globex', 'other', 'Other');
      for (const [accountId, customerId] of [['help', 'c1'], ['sales', 'c2']] as const) {
        (await cx.conversations.addContact('acme', accountId, { customerId, name: `Customer ${customerId}`, channel: 'line' }))._unsafeUnwrap();
      }
      (await cx.conversations.addContact('globex', 'other', { customerId: 'g1', name: 'G', channel: 'line' }))._unsafeUnwrap();
      const receive = async (accountId: string, customerId: string, content: string, at: string) =>
        (await cx.conversations.receiveMessage('acme', accountId, { customerId, content, channel: 'line', at: new Date(at) }))._unsafeUnwrap();
      await receive('sales', 'c2', 's-late', '2026-11-25T05:00:00Z');
      await receive('help', 'c1', 'h-late', '2026-11-25T04:00:00Z');
      await receive('help', 'c1', 'h-same-1', '2026-11-25T03:45:00Z');
      await receive('help', 'c1', 'h-same-2', '2026-11-25T03:45:00Z');
      (await cx.conversations.receiveMessage('globex', 'other', { customerId: 'g1', content: 'not acme', channel: 'line' }))._unsafeUnwrap();
      const watermark = (await cx.events.read('acme'))._unsafeUnwrap().lastSeq;
      (await cx.accounts.reset('acme', 'help'))._unsafeUnwrap();
      await fixture.account('acme', 'help', 'New Help');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Customer c1', channel: 'line' }))._unsafeUnwrap();
      await receive('help', 'c1', 'after the watermark', '2026-11-25T03:00:00Z');

      const read = async (filter: HistoryFilter, pageSize: number) =>
        (
          await current().transaction('acme', 'read', async (tx) => {
            const rows: HistoryRow[] = [];
            let after: HistoryPosition | null = null;
            for (;;) {
              const page = await tx.readHistory(filter, after, pageSize);
              rows.push(...page);
              const last = page[page.length - 1];
              if (!last || page.length < pageSize) break;
              after = { sentAt: last.sentAt, messageId: last.messageId };
            }
            return ok({ rows, count: await tx.countHistory(filter) });
          })
        )._unsafeUnwrap();

      const upTo = await read({ upToEventSeq: watermark }, 2);
      expect(upTo.rows.map((row) => row.content).sort()).toEqual(['h-late', 'h-same-1', 'h-same-2', 's-late']);
      expect(upTo.rows.map((row) => row.sentAt.toISOString())).toEqual([
        '2026-11-25T03:45:00.000Z',
        '2026-11-25T03:45:00.000Z',
        '2026-11-25T04:00:00.000Z',
        '2026-11-25T05:00:00.000Z',
      ]);
      expect(upTo.rows[0]!.messageId < upTo.rows[1]!.messageId).toBe(true);
      expect(upTo.count).toBe(4);
      expect(upTo.rows[0]).toMatchObject({ accountId: 'help', accountName: 'Old Help', timeZone: 'Asia/Seoul', channel: 'line', senderKind: 'customer', customerId: 'c1' });

      const help = await read({ accountIds: ['help'] }, 1);
      expect(help.rows.map((row) => row.accountName)).toEqual(['New Help', 'Old Help', 'Old Help', 'Old Help']);
      expect(help.rows[0]!.content).toBe('after the watermark');
      expect(help.rows.slice(1, 3).map((row) => row.content).sort()).toEqual(['h-same-1', 'h-same-2']);
      expect(help.rows[1]!.messageId < help.rows[2]!.messageId).toBe(true);
      expect(help.rows[3]!.content).toBe('h-late');
      expect(new Set(help.rows.map((row) => row.accountKey)).size).toBe(2);
      expect(help.count).toBe(4);
      const window = await read({ accountIds: ['sales', 'help'], from: new Date('2026-11-25T03:45:00Z'), to: new Date('2026-11-25T05:00:00Z'), upToEventSeq: watermark }, 10);
      expect(window.rows.map((row) => row.content).sort()).toEqual(['h-late', 'h-same-1', 'h-same-2']);
      expect(window.count).toBe(3);
    });
  });
}

function jobLifecycleCases(current: () => Store) {
  describe('R25 jobs', () => {
    const seeded = async (fixture: HistoryFixture) => {
      await fixture.seedProducts();
      await fixture.account('acme', 'help', 'Help');
      (await fixture.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }))._unsafeUnwrap();
      (await fixture.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hello', channel: 'line' }))._unsafeUnwrap();
    };

    it('R25: startBackup answers a pending job at once; the in-process runner makes it ready', async () => {
      const fixture = historyFixture(current());
      await seeded(fixture);
      const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();
      expect(started).toEqual({
        id: expect.any(String),
        status: 'pending',
        requestedAt: fixture.now(),
        startedAt: null,
        readyAt: null,
        byteLength: null,
        expiresAt: null,
        format: 'csv',
        filter: { from: null, to: null, accountIds: null },
        rowsDone: 0,
        rowsTotal: null,
      });
      (await fixture.cx.history.drain())._unsafeUnwrap();
      const job = (await fixture.cx.history.job('acme', started.id))._unsafeUnwrap();
      expect(job.status).toBe('ready');
      expect(job.requestedAt).toEqual(started.requestedAt);
      expect(job.readyAt).toEqual(fixture.now());
      expect(job.expiresAt).toEqual(new Date(fixture.now().getTime() + 7 * DAY));
      const file = await collect((await fixture.cx.history.download('acme', started.id))._unsafeUnwrap());
      expect(job.byteLength).toBe(file.byteLength);
      expect(parseBackup(file)).toHaveLength(2);
    });

    it('R25: pending → running → ready, and backup_not_ready until ready', async () => {
      const release = gate();
      const fixture = historyFixture(hookedStore(current(), { afterRead: () => release.promise }), { runner: 'manual' });
      await seeded(fixture);
      const { history } = fixture.cx;
      const started = (await history.startBackup('acme'))._unsafeUnwrap();
      expect((await history.job('acme', started.id))._unsafeUnwrap().status).toBe('pending');
      expect((await history.download('acme', started.id))._unsafeUnwrapErr().code).toBe('backup_not_ready');

      fixture.advance(MINUTE);
      const running = history.runBackup('acme', started.id);
      await eventually(async () => (await history.job('acme', started.id))._unsafeUnwrap().status === 'running');
      const during = (await history.job('acme', started.id))._unsafeUnwrap();
      expect(during.startedAt).toEqual(fixture.now());
      expect(during.readyAt).toBeNull();
      expect((await history.download('acme', started.id))._unsafeUnwrapErr().code).toBe('backup_not_ready');
      expect((await history.downloadStream('acme', started.id))._unsafeUnwrapErr().code).toBe('backup_not_ready');

      release.release();
      const finished = (await running)._unsafeUnwrap();
      expect(finished.status).toBe('ready');
      expect((await history.job('acme', started.id))._unsafeUnwrap()).toEqual(finished);
      const file = await collect((await history.download('acme', started.id))._unsafeUnwrap());
      expect(parseBackup(file)[1]).toEqual(['help', 'Help', 'Lee', '2026-11-25T03:00:00.000+00:00', 'Lee', 'hello', expect.any(String), 'c1', 'line', 'customer']);
    });

    it('R25: a job whose history stream fails is failed with the reason, keeps no partial file, and cannot be downloaded', async () => {
      const fixture = historyFixture(hookedStore(current(), { failRead: (index) => (index >= 1 ? new Error('disk on fire') : null) }), {
        runner: 'manual',
        chunkBytes: 16,
        pageSize: 1,
      });
      await seeded(fixture);
      (await fixture.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'second', channel: 'line' }))._unsafeUnwrap();
      const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();
      const job = (await fixture.cx.history.runBackup('acme', started.id))._unsafeUnwrap();
      expect(job.status).toBe('failed');
      expect(job.failureReason).toBe('reading the history failed: disk on fire');
      expect(job.readyAt).toBeNull();
      expect(job.expiresAt).toEqual(new Date(job.requestedAt.getTime() + 7 * DAY));
      expect((await fixture.cx.history.job('acme', started.id))._unsafeUnwrap()).toEqual(job);
      const refused = (await fixture.cx.history.download('acme', started.id))._unsafeUnwrapErr();
      expect(refused.code).toBe('backup_not_ready');
      expect(refused.message).toContain('disk on fire');
      expect(await collect(current().readBackupChunks('acme', `${started.id}.1`))).toHaveLength(0);
    });

    it('R25: another domain’s job, an unknown id and bad ids are refused without revealing anything', async () => {
      const fixture = historyFixture(current());
      await seeded(fixture);
      const { history } = fixture.cx;
      const { bytes } = await backupNow(fixture.cx, 'acme');
      expect(bytes.byteLength).toBeGreaterThan(0);
      const id = (await history.startBackup('acme'))._unsafeUnwrap().id;
      (await history.drain())._unsafeUnwrap();
      for (const result of [
        await history.job('globex', id),
        await history.download('globex', id),
        await history.downloadStream('globex', id),
        await history.runBackup('globex', id),
        await history.job('acme', '00000000-0000-4000-8000-000000000000'),
      ]) {
        expect(result._unsafeUnwrapErr()).toMatchObject({ code: 'not_found', entity: 'backup' });
      }
      expect((await history.job('globex', id))._unsafeUnwrapErr().message).not.toContain('acme');
      for (const [domainId, jobId] of [
        ['acme', 42],
        ['acme', null],
        ['acme', ''],
        ['acme', 'x'.repeat(100_000)],
        [null, id],
        ['\u0000', id],
        ['acme', '\uD800'],
      ] as const) {
        expect((await history.job(domainId as string, jobId as string))._unsafeUnwrapErr().code).toBe('validation');
        expect((await history.download(domainId as string, jobId as string))._unsafeUnwrapErr().code).toBe('validation');
      }
      expect((await history.startBackup({ __proto__: null } as unknown as string))._unsafeUnwrapErr().code).toBe('validation');
      expect((await history.runPendingBackups({ limit: 0 }))._unsafeUnwrapErr().code).toBe('validation');
      expect((await history.runPendingBackups({ limt: 5 } as never))._unsafeUnwrapErr().code).toBe('validation');
    });

    it('R25: a running job whose process stopped is run again by the next runner, with a fresh file', async () => {
      const fixture = historyFixture(current(), { runner: 'manual', staleAfterMs: 5 * MINUTE });
      await seeded(fixture);
      const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();
      // A runner took it and died after writing a chunk.
      const job = (await readJobRecord(current(), 'acme', started.id))!;
      const dead = { ...job, status: 'running' as const, attempt: 1, startedAt: fixture.now(), heartbeatAt: fixture.now() };
      (await current().transaction('acme', 'write', async (tx) => ok(await tx.claimBackupJob(dead.jobId, { attempt: dead.attempt, at: dead.startedAt, watermark: await tx.lastEventSeq() }))))._unsafeUnwrap();
      await current().appendBackupChunk('acme', `${started.id}.1`, 0, bytes('half a file'));

      fixture.advance(4 * MINUTE);
      expect((await fixture.cx.history.runPendingBackups())._unsafeUnwrap()).toEqual({ ready: 0, failed: 0, skipped: 0, deleted: 0 });
      expect((await fixture.cx.history.runBackup('acme', started.id))._unsafeUnwrap().status).toBe('running');

      fixture.advance(2 * MINUTE);
      expect((await fixture.cx.history.runPendingBackups())._unsafeUnwrap()).toEqual({ ready: 1, failed: 0, skipped: 0, deleted: 0 });
      const after = (await fixture.cx.history.job('acme', started.id))._unsafeUnwrap();
      expect(after.status).toBe('ready');
      expect(after.startedAt).toEqual(fixture.now());
      expect(await collect(current().readBackupChunks('acme', `${started.id}.1`))).toHaveLength(0);
      const file = await collect((await fixture.cx.history.download('acme', started.id))._unsafeUnwrap());
      expect(parseBackup(file)[1]?.[5]).toBe('hello');
    });

    it('R25: a job whose runners keep stopping is failed after maxAttempts, never left running', async () => {
      const fixture = historyFixture(current(), { runner: 'manual', staleAfterMs: MINUTE, maxAttempts: 2 });
      await seeded(fixture);
      const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();
      const job = (await readJobRecord(current(), 'acme', started.id))!;
      const dead = { ...job, status: 'running' as const, attempt: 2, startedAt: fixture.now(), heartbeatAt: fixture.now() };
      (await current().transaction('acme', 'write', async (tx) => ok(await tx.claimBackupJob(dead.jobId, { attempt: dead.attempt, at: dead.startedAt, watermark: await tx.lastEventSeq() }))))._unsafeUnwrap();
      fixture.advance(2 * MINUTE);
      expect((await fixture.cx.history.runPendingBackups())._unsafeUnwrap()).toMatchObject({ failed: 1 });
      const after = (await fixture.cx.history.job('acme', started.id))._unsafeUnwrap();
      expect(after.status).toBe('failed');
      expect(after.failureReason).toMatch(/interrupted 2 time/);
    });

    it('R25: with the in-process runner, a new process picks up jobs a stopped process left pending or running', async () => {
      const first = historyFixture(current(), { runner: 'manual' });
      await seeded(first);
      const pending = (await first.cx.history.startBackup('acme'))._unsafeUnwrap();
      const stuck = (await first.cx.history.startBackup('acme'))._unsafeUnwrap();
      const record = (await readJobRecord(current(), 'acme', stuck.id))!;
      const dead = { ...record, status: 'running' as const, attempt: 1, startedAt: first.now(), heartbeatAt: first.now() };
      (await current().transaction('acme', 'write', async (tx) => ok(await tx.claimBackupJob(dead.jobId, { attempt: dead.attempt, at: dead.startedAt, watermark: await tx.lastEventSeq() }))))._unsafeUnwrap();

      // The "restarted" process, later.
      const second = historyFixture(current(), undefined, new Date(first.now().getTime() + 10 * MINUTE).toISOString());
      (await second.cx.history.job('acme', stuck.id))._unsafeUnwrap();
      (await second.cx.history.drain())._unsafeUnwrap();
      expect((await second.cx.history.job('acme', pending.id))._unsafeUnwrap().status).toBe('ready');
      expect((await second.cx.history.job('acme', stuck.id))._unsafeUnwrap().status).toBe('ready');
    });

    it('R25: a runner that lost its job to another (it was silent too long) changes nothing', async () => {
      const release = gate();
      const reached = gate();
      const afterRead = () => {
        reached.release();
        return release.promise;
      };
      const slow = historyFixture(hookedStore(current(), { afterRead }), { runner: 'manual', staleAfterMs: MINUTE });
      await seeded(slow);
      const started = (await slow.cx.history.startBackup('acme'))._unsafeUnwrap();
      const slowRun = slow.cx.history.runBackup('acme', started.id);
      // The slow runner has read its first page and stalls there.
      await reached.promise;
      expect((await slow.cx.history.job('acme', started.id))._unsafeUnwrap().status).toBe('running');

      const other = historyFixture(current(), { runner: 'manual', staleAfterMs: MINUTE }, new Date(slow.now().getTime() + 2 * MINUTE).toISOString());
      const taken = (await other.cx.history.runBackup('acme', started.id))._unsafeUnwrap();
      expect(taken.status).toBe('ready');
      (await other.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'later', channel: 'line' }))._unsafeUnwrap();

      release.release();
      const afterSlow = (await slowRun)._unsafeUnwrap();
      expect(afterSlow).toEqual(taken);
      expect(await collect(current().readBackupChunks('acme', `${started.id}.1`))).toHaveLength(0);
      const records = parseBackup(await collect((await other.cx.history.download('acme', started.id))._unsafeUnwrap()));
      expect(records.map((record) => record[5])).toEqual(['content', 'hello']);
    });

    it('R25: backups are deleted, job and file, retentionDays after they were ready (failed ones after they were requested)', async () => {
      const fixture = historyFixture(current(), { runner: 'manual', retentionDays: 2 });
      await seeded(fixture);
      const { history } = fixture.cx;
      const old = (await history.startBackup('acme'))._unsafeUnwrap();
      (await history.runBackup('acme', old.id))._unsafeUnwrap();
      fixture.advance(DAY);
      const recent = (await history.startBackup('acme'))._unsafeUnwrap();
      const ready = (await history.runBackup('acme', recent.id))._unsafeUnwrap();
      expect(ready.expiresAt).toEqual(new Date(fixture.now().getTime() + 2 * DAY));

      fixture.advance(DAY + MINUTE);
      expect((await history.deleteExpiredBackups())._unsafeUnwrap()).toBe(1);
      expect((await history.job('acme', old.id))._unsafeUnwrapErr()).toMatchObject({ code: 'not_found', entity: 'backup' });
      expect((await history.download('acme', old.id))._unsafeUnwrapErr().code).toBe('not_found');
      expect(await collect(current().readBackupChunks('acme', `${old.id}.1`))).toHaveLength(0);
      expect((await history.job('acme', recent.id))._unsafeUnwrap().status).toBe('ready');

      fixture.advance(DAY);
      expect((await history.runPendingBackups())._unsafeUnwrap()).toEqual({ ready: 0, failed: 0, skipped: 0, deleted: 1 });
      expect((await history.job('acme', recent.id))._unsafeUnwrapErr().code).toBe('not_found');
    });

    it('R25: download and downloadStream give the same bytes, again on every read', async () => {
      const fixture = historyFixture(current(), { chunkBytes: 32 });
      await seeded(fixture);
      const { job, bytes: first } = await backupNow(fixture.cx, 'acme');
      const again = await collect((await fixture.cx.history.download('acme', job.id))._unsafeUnwrap());
      expect([...again]).toEqual([...first]);
      const stream = (await fixture.cx.history.downloadStream('acme', job.id))._unsafeUnwrap();
      const viaStream: Uint8Array[] = [];
      const reader = stream.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) viaStream.push(next.value);
      expect([...Buffer.concat(viaStream)]).toEqual([...first]);
      expect(viaStream.length).toBeGreaterThan(1);
    });
  });
}

function fileCases(current: () => Store) {
  describe('R26 file', () => {
    it('R26: an empty history gives BOM and header, CRLF-terminated', async () => {
      const fixture = historyFixture(current());
      const { bytes } = await backupNow(fixture.cx, 'acme');
      expect([...bytes]).toEqual([
        ...Buffer.from('\uFEFFaccount_id,account_name,customer_name,sent_at,sender,content,account_uid,customer_id,channel,sender_kind\r\n', 'utf8'),
      ]);
      expect(parseBackup(bytes)).toEqual([HEADER]);
    });

    it('R26: every cell reads back exactly as recorded: quotes, commas, line breaks, Korean, names (the account’s too) as they were when sent', async () => {
      const fixture = historyFixture(current(), { chunkBytes: 48 });
      const { cx } = fixture;
      await fixture.seedProducts();
      await fixture.account('acme', 'help', '상담 "센터", 본사', 'Asia/Seoul');
      (await cx.settings.update('acme', 'help', { awayMessage: '지금은 상담 시간이 아닙니다.\n내일 09:00에 답변드립니다.' }))._unsafeUnwrap();
      const expected: ExpectedRow[] = [];
      const row = (customerName: string, sentAt: string, sender: string, content: string) =>
        expected.push({ accountId: 'help', accountName: '', customerName, sentAt, sender, content });

      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'O\'Brien, "Pat"', channel: 'line' }))._unsafeUnwrap();
      // Wednesday 10:00 in Seoul: open.
      (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'Hi, "quoted"\r\nline 2\nline 3\rend', channel: 'line', at: new Date('2026-11-25T01:00:00Z') }))._unsafeUnwrap();
      row('O\'Brien, "Pat"', '2026-11-25T10:00:00.000+09:00', 'O\'Brien, "Pat"', 'Hi, "quoted"\r\nline 2\nline 3\rend');
      (await cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: '안녕하세요, 무엇을 도와드릴까요?', at: new Date('2026-11-25T01:01:00Z') }))._unsafeUnwrap();
      row('O\'Brien, "Pat"', '2026-11-25T10:01:00.000+09:00', 'Kim Minji', '안녕하세요, 무엇을 도와드릴까요?');

      fixture.directory.rename('acme', 'u1', 'Kim Minji (팀장)');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: '이민지', channel: 'line' }))._unsafeUnwrap();
      (await cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'ok', at: new Date('2026-11-25T01:02:00Z') }))._unsafeUnwrap();
      row('이민지', '2026-11-25T10:02:00.000+09:00', 'Kim Minji (팀장)', 'ok');
      (await cx.conversations.sendMessage('acme', 'help', { agentId: 'u3', customerId: 'c1', content: '"', at: new Date('2026-11-25T01:03:00Z') }))._unsafeUnwrap();
      row('이민지', '2026-11-25T10:03:00.000+09:00', 'Tanaka, "Ken"', '"');

      // Wednesday 20:00 in Seoul: away; the automatic reply goes out in the account's name of the time.
      (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: '😀👍🏽 ok?', channel: 'line', at: new Date('2026-11-25T11:00:00Z') }))._unsafeUnwrap();
      row('이민지', '2026-11-25T20:00:00.000+09:00', '이민지', '😀👍🏽 ok?');
      row('이민지', '2026-11-25T20:00:00.000+09:00', '상담 "센터", 본사', '지금은 상담 시간이 아닙니다.\n내일 09:00에 답변드립니다.');
      (await cx.accounts.update('acme', 'help', { name: 'Help, now' }))._unsafeUnwrap();

      const { bytes } = await backupNow(cx, 'acme');
      const records = parseBackup(bytes);
      expect(records[0]).toEqual(HEADER);
      // A message and its automatic reply share an instant; ties are ordered by message id, so compare them as a set.
      const byTimeThenContent = (a: string[], b: string[]) => (a[3]! < b[3]! ? -1 : a[3]! > b[3]! ? 1 : a[5]! < b[5]! ? -1 : a[5]! > b[5]! ? 1 : 0);
      const expectedSix = expectedRecords(expected.map((entry) => ({ ...entry, accountName: '상담 "센터", 본사' })));
      expect(firstSix(records).slice(1).sort(byTimeThenContent)).toEqual(expectedSix.slice(1).sort(byTimeThenContent));
      const kinds = new Map(records.slice(1).map((record) => [record[5], [record[7], record[8], record[9]]]));
      expect(kinds.get('ok')).toEqual(['c1', 'line', 'agent']);
      expect(kinds.get('😀👍🏽 ok?')).toEqual(['c1', 'line', 'customer']);
      expect(kinds.get('지금은 상담 시간이 아닙니다.\n내일 09:00에 답변드립니다.')).toEqual(['c1', 'line', 'account']);
      const text = Buffer.from(bytes).toString('utf8');
      expect(text).toContain('"Hi, ""quoted""\r\nline 2\nline 3\rend"');
      expect(text).toContain(`,"""",`);
    });

    it('R26: cells that a spreadsheet would run as a formula are prefixed with an apostrophe', async () => {
      const fixture = historyFixture(current());
      const { cx } = fixture;
      await fixture.seedProducts();
      await fixture.account('acme', 'help', '=Help');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: '@admin', channel: 'line' }))._unsafeUnwrap();
      const contents = ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\tindented', '\rcarriage', '＝1+1', 'a=1', "'already", ' =spaced'];
      // One second apart: messages of one instant are ordered by message id.
      for (const [index, content] of contents.entries()) {
        const at = new Date(Date.UTC(2026, 10, 25, 3, 0, index));
        (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content, channel: 'line', at }))._unsafeUnwrap();
      }
      const { bytes } = await backupNow(cx, 'acme');
      const records = parseBackup(bytes).slice(1);
      expect(records.map((record) => record[5])).toEqual([
        '\'=HYPERLINK("http://evil.test","x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tindented",
        "'\rcarriage",
        "'＝1+1",
        'a=1',
        "'already",
        ' =spaced',
      ]);
      for (const record of records) {
        expect(record[1]).toBe("'=Help");
        expect(record[2]).toBe("'@admin");
        expect(record[4]).toBe("'@admin");
      }
    });

    it('R26: sent_at carries the account’s UTC offset: Asia/Seoul, America/New_York in summer and winter, UTC', async () => {
      const fixture = historyFixture(current());
      const { cx } = fixture;
      await fixture.seedProducts();
      // Accounts are listed by activation time: one minute apart, so the order is known.
      await fixture.account('acme', 'seoul', 'Seoul', 'Asia/Seoul');
      fixture.advance(MINUTE);
      await fixture.account('acme', 'newyork', 'New York', 'America/New_York');
      fixture.advance(MINUTE);
      await fixture.account('acme', 'utc', 'Utc');
      const send = async (accountId: string, at: string) => {
        (await cx.conversations.addContact('acme', accountId, { customerId: 'c1', name: 'Lee', channel: 'mail' }))._unsafeUnwrap();
        (await cx.conversations.receiveMessage('acme', accountId, { customerId: 'c1', content: at, channel: 'mail', at: new Date(at) }))._unsafeUnwrap();
      };
      await send('seoul', '2026-11-25T09:30:00.000Z');
      await send('newyork', '2026-07-01T16:00:00.000Z');
      await send('newyork', '2026-11-25T17:00:00.000Z');
      await send('newyork', '2026-03-08T07:00:00.000Z'); // 03:00 EDT, just after the spring change
      await send('utc', '2026-11-25T09:31:00.000Z');
      const records = parseBackup((await backupNow(cx, 'acme')).bytes).slice(1);
      // Oldest first, whatever the account.
      expect(records.map((record) => [record[0], record[3]])).toEqual([
        ['newyork', '2026-03-08T03:00:00.000-04:00'],
        ['newyork', '2026-07-01T12:00:00.000-04:00'],
        ['seoul', '2026-11-25T18:30:00.000+09:00'],
        ['utc', '2026-11-25T09:31:00.000+00:00'],
        ['newyork', '2026-11-25T12:00:00.000-05:00'],
      ]);
      for (const record of records) expect(new Date(record[3]!).toISOString()).toBe(record[5]);
    });

    it('R26: reset accounts are in the backup, beside the new account that reuses their ID, told apart by account_uid', async () => {
      const fixture = historyFixture(current());
      const { cx } = fixture;
      await fixture.seedProducts();
      await fixture.account('acme', 'help', 'Old Help');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }))._unsafeUnwrap();
      (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'before reset', channel: 'line' }))._unsafeUnwrap();
      (await cx.accounts.reset('acme', 'help'))._unsafeUnwrap();
      fixture.advance(MINUTE);
      await fixture.account('acme', 'help', 'New Help');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Park', channel: 'line' }))._unsafeUnwrap();
      (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c2', content: 'after reset', channel: 'line' }))._unsafeUnwrap();
      const records = parseBackup((await backupNow(cx, 'acme')).bytes).slice(1);
      expect(records.map((record) => [record[0], record[1], record[2], record[5]])).toEqual([
        ['help', 'Old Help', 'Lee', 'before reset'],
        ['help', 'New Help', 'Park', 'after reset'],
      ]);
      expect(records[0]![6]).not.toBe(records[1]![6]);
      expect(records[1]![6]).toBe((await cx.conversations.history('acme', { accountId: 'help' }))._unsafeUnwrap().items[1]!.accountUid);
    });

    it('R26: the file is stored and delivered in chunks no larger than chunkBytes, never splitting a character', async () => {
      const fixture = historyFixture(current(), { chunkBytes: 50 });
      const { cx } = fixture;
      await fixture.seedProducts();
      await fixture.account('acme', 'help', '상담');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: '이민지', channel: 'line' }))._unsafeUnwrap();
      const contents = Array.from({ length: 40 }, (_, index) => `${index}: 한국어 テキスト 😀 ${'가'.repeat(index)}`);
      // One second apart: messages of one instant are ordered by message id.
      for (const [index, content] of contents.entries()) {
        const at = new Date(Date.UTC(2026, 10, 25, 3, 0, index));
        (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content, channel: 'line', at }))._unsafeUnwrap();
      }
      const { job } = await backupNow(cx, 'acme');
      const chunks: Uint8Array[] = [];
      for await (const chunk of (await cx.history.download('acme', job.id))._unsafeUnwrap()) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(20);
      const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      for (const chunk of chunks) {
        expect(chunk.byteLength).toBeLessThanOrEqual(50);
        expect(chunk.byteLength).toBeGreaterThan(0);
        decoder.decode(chunk);
      }
      expect(parseBackup(Buffer.concat(chunks)).slice(1).map((record) => record[5])).toEqual(contents);
    });
  });
}


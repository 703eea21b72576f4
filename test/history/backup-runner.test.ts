import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/index.js';
import type { Store } from '../../src/ports/store.js';
import { collect, historyFixture, parseBackup } from './history-fixture.js';
import { pendingBackupJob } from '../../src/history/backup-job.js';

const seed = async (fixture: ReturnType<typeof historyFixture>) => {
  await fixture.seedProducts();
  await fixture.account('acme', 'help', 'Help');
  (await fixture.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }))._unsafeUnwrap();
  (await fixture.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hello', channel: 'line' }))._unsafeUnwrap();
};

describe('R25: backup runners and options', () => {
  it('R25: with runner "manual" nothing runs by itself; runBackup runs the job in the caller’s promise', async () => {
    const fixture = historyFixture(memoryStore(), { runner: 'manual' });
    await seed(fixture);
    const { history } = fixture.cx;
    const started = (await history.startBackup('acme'))._unsafeUnwrap();
    (await history.drain())._unsafeUnwrap();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await history.job('acme', started.id))._unsafeUnwrap().status).toBe('pending');
    const ready = (await history.runBackup('acme', started.id))._unsafeUnwrap();
    expect(ready.status).toBe('ready');
    // Running a finished job again changes nothing.
    expect((await history.runBackup('acme', started.id))._unsafeUnwrap()).toEqual(ready);
    expect((await history.runBackup('acme', '00000000-0000-4000-8000-000000000000'))._unsafeUnwrapErr().code).toBe('not_found');
  });

  it('R25: runPendingBackups runs the pending jobs of every domain, oldest first, up to its limit', async () => {
    const fixture = historyFixture(memoryStore(), { runner: 'manual' });
    await seed(fixture);
    await fixture.account('globex', 'other', 'Other');
    const { history } = fixture.cx;
    const first = (await history.startBackup('acme'))._unsafeUnwrap();
    fixture.advance(1000);
    const second = (await history.startBackup('globex'))._unsafeUnwrap();
    fixture.advance(1000);
    const third = (await history.startBackup('acme'))._unsafeUnwrap();
    expect((await history.runPendingBackups({ limit: 2 }))._unsafeUnwrap()).toEqual({ ready: 2, failed: 0, skipped: 0, deleted: 0 });
    expect((await history.job('acme', first.id))._unsafeUnwrap().status).toBe('ready');
    expect((await history.job('globex', second.id))._unsafeUnwrap().status).toBe('ready');
    expect((await history.job('acme', third.id))._unsafeUnwrap().status).toBe('pending');
    expect((await history.runPendingBackups())._unsafeUnwrap()).toMatchObject({ ready: 1 });
  });

  it('R25: several backups started at once all finish, one at a time, each with the whole history', async () => {
    const fixture = historyFixture(memoryStore());
    await seed(fixture);
    const { history } = fixture.cx;
    const ids = await Promise.all([1, 2, 3, 4].map(async () => (await history.startBackup('acme'))._unsafeUnwrap().id));
    (await history.drain())._unsafeUnwrap();
    for (const id of ids) {
      expect((await history.job('acme', id))._unsafeUnwrap().status).toBe('ready');
      expect(parseBackup(await collect((await history.download('acme', id))._unsafeUnwrap()))).toHaveLength(2);
    }
  });

  it('R25: a failure to store the file fails the job with the reason', async () => {
    const inner = memoryStore();
    const store: Store = {
      transaction: (domainId, mode, work) => inner.transaction(domainId, mode, work),
      appendBackupChunk: async () => {
        throw new Error('quota exceeded');
      },
      readBackupChunks: (domainId, fileId) => inner.readBackupChunks(domainId, fileId),
      deleteBackupChunks: (domainId, fileId) => inner.deleteBackupChunks(domainId, fileId),
      listRunnableBackupJobs: (staleBefore, limit) => inner.listRunnableBackupJobs(staleBefore, limit),
      listExpiredBackupJobs: (before, limit) => inner.listExpiredBackupJobs(before, limit),
    };
    const fixture = historyFixture(store, { runner: 'manual' });
    await seed(fixture);
    const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();
    const job = (await fixture.cx.history.runBackup('acme', started.id))._unsafeUnwrap();
    expect(job).toMatchObject({ status: 'failed', failureReason: 'storing the file failed: quota exceeded' });
  });

  it('R27: a store that fails answers store_failure and keeps no job; the in-process runner never rejects', async () => {
    const inner = memoryStore();
    let broken = false;
    const store: Store = {
      transaction: (domainId, mode, work) =>
        inner.transaction(domainId, mode, async (tx) => {
          if (broken) {
            await tx.insertBackupJob(pendingBackupJob(domainId, 'half-written', new Date()));
            throw new Error('connection lost');
          }
          return work(tx);
        }),
      appendBackupChunk: (...args) => inner.appendBackupChunk(...args),
      readBackupChunks: (...args) => inner.readBackupChunks(...args),
      deleteBackupChunks: (...args) => inner.deleteBackupChunks(...args),
      listRunnableBackupJobs: async () => {
        if (broken) throw new Error('connection lost');
        return [];
      },
      listExpiredBackupJobs: (...args) => inner.listExpiredBackupJobs(...args),
    };
    const fixture = historyFixture(store);
    await seed(fixture);
    broken = true;
    const started = await fixture.cx.history.startBackup('acme');
    expect(started._unsafeUnwrapErr().code).toBe('store_failure');
    expect((await fixture.cx.history.runPendingBackups())._unsafeUnwrapErr().code).toBe('store_failure');
    (await fixture.cx.history.drain())._unsafeUnwrap();
    broken = false;
    const leftover = await inner.transaction('acme', 'read', async (tx) => ok(await tx.getBackupJob('half-written')));
    expect(leftover._unsafeUnwrap()).toBeNull();
  });

  it('R27: a bad backups option makes every history operation answer config_invalid naming it', async () => {
    for (const backups of [{ runner: 'cron' }, { retentionDays: 0 }, { staleAfterMs: 5 }, { maxAttempts: 1.5 }, { chunkBytes: 2 }, { retention: 3 }, 'fast']) {
      const fixture = historyFixture(memoryStore(), backups as never);
      for (const result of [
        await fixture.cx.history.startBackup('acme'),
        await fixture.cx.history.job('acme', 'x'),
        await fixture.cx.history.runPendingBackups(),
        await fixture.cx.history.drain(),
      ]) {
        const error = result._unsafeUnwrapErr();
        expect(error.code).toBe('config_invalid');
        expect(error.code === 'config_invalid' && error.issues[0]?.path).toMatch(/^options\.backups/);
      }
    }
  });

  it('R25: a web ReadableStream download can be cancelled half-way', async () => {
    const fixture = historyFixture(memoryStore(), { chunkBytes: 16 });
    await seed(fixture);
    const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();
    (await fixture.cx.history.drain())._unsafeUnwrap();
    const stream = (await fixture.cx.history.downloadStream('acme', started.id))._unsafeUnwrap();
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect([...first.value!.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    await reader.cancel();
  });

  it('R49: the runner lets the host’s timers and I/O run while it works: a due timer fires before a long backup ends', async () => {
    const fixture = historyFixture(memoryStore(), { runner: 'manual', pageSize: 10 });
    await seed(fixture);
    const many = Array.from({ length: 2000 }, (_, index) => ({ customerId: 'c1', content: `message ${index}`, channel: 'line' as const, at: new Date(Date.UTC(2026, 10, 24, 0, 0, index)) }));
    for (const message of many) (await fixture.cx.conversations.receiveMessage('acme', 'help', message))._unsafeUnwrap();
    const started = (await fixture.cx.history.startBackup('acme'))._unsafeUnwrap();

    let finished = false;
    let timerFiredWhileRunning = false;
    let immediatesWhileRunning = 0;
    // A host timer that is due at once, and a host I/O loop (one callback per turn of the event loop).
    setTimeout(() => {
      timerFiredWhileRunning = !finished;
    }, 0);
    const spin = () => {
      if (finished) return;
      immediatesWhileRunning += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const job = (await fixture.cx.history.runBackup('acme', started.id))._unsafeUnwrap();
    finished = true;
    expect(job).toMatchObject({ status: 'ready', rowsDone: 2001, rowsTotal: 2001 });
    expect(timerFiredWhileRunning).toBe(true);
    // 201 pages: the host got a turn between (nearly) every two of them.
    expect(immediatesWhileRunning).toBeGreaterThan(100);
  });
});

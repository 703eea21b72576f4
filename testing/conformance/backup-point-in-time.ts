import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { HistoryMessage } from '../../src/conversations/conversation-reads.js';
import type { BackupRequest } from '../../src/history/backup-request.js';
import type { BackupJobRecord } from '../../src/ports/records.js';
import type { Store } from '../../src/ports/store.js';
import {
  allHistory,
  collect,
  gate,
  guarded,
  HEADER,
  historyFixture,
  hookedStore,
  messageCells,
  parseBackup,
  parseJsonlBackup,
  type HistoryFixture,
} from '../backup-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { readAllEvents } from './events.js';

const MINUTE = 60_000;
/** The job an event of a backup names. */
const jobIdOf = (event: { data: object }) => (event.data as { jobId?: string }).jobId;
const DAY = 86_400_000;

/** Time zones of the accounts {@link seedHistory} makes, by the account's name. */
const ZONES: Record<string, string> = { 'Old Help': 'Asia/Seoul', 'New Help': 'America/New_York', Sales: 'UTC' };
const zoneOf = (message: HistoryMessage) => ZONES[message.accountName] ?? 'UTC';

/**
 * `acme`: `help` (Seoul, reset after 12 messages), a new `help` (New York) and `sales` (UTC),
 * `count` messages spread over both days and accounts, one a minute, some of them hostile to a
 * spreadsheet; `globex` has messages too.
 */
export async function seedHistory(fixture: HistoryFixture, count = 30): Promise<void> {
  const { cx } = fixture;
  await fixture.seedProducts();
  await fixture.account('acme', 'help', 'Old Help', 'Asia/Seoul');
  await fixture.account('acme', 'sales', 'Sales');
  await fixture.account('globex', 'other', 'Other');
  for (const accountId of ['help', 'sales']) {
    expectOk(await cx.conversations.addContact('acme', accountId, { customerId: 'c1', name: 'Lee, "Jo"', channel: 'line' }));
    expectOk(await cx.conversations.addContact('acme', accountId, { customerId: 'c2', name: '=박', channel: 'mail' }));
  }
  expectOk(await cx.conversations.addContact('globex', 'other', { customerId: 'g1', name: 'G', channel: 'line' }));
  const contents = ['hello', '=1+1', '첫째 줄\n둘째 줄', 'a, "b"', '-5%', '😀'];
  for (let index = 0; index < count; index++) {
    if (index === 12) {
      expectOk(await cx.accounts.reset('acme', 'help'));
      await fixture.account('acme', 'help', 'New Help', 'America/New_York');
      expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee, "Jo"', channel: 'line' }));
    }
    const accountId = index % 3 === 2 ? 'sales' : 'help';
    const customerId = accountId === 'help' && index >= 12 ? 'c1' : index % 2 === 0 ? 'c1' : 'c2';
    const at = new Date(Date.UTC(2026, 10, 24, 23, 40 + index));
    const content = `${contents[index % contents.length]!} #${index}`;
    if (index % 4 === 3) {
      expectOk(await cx.conversations.sendMessage('acme', accountId, { agentId: 'u1', customerId, content, at }));
    } else {
      const channel = customerId === 'c2' ? 'mail' : 'line';
      expectOk(await cx.conversations.receiveMessage('acme', accountId, { customerId, content, channel, at }));
    }
  }
  expectOk(await cx.conversations.receiveMessage('globex', 'other', { customerId: 'g1', content: 'not acme', channel: 'line' }));
}

/** The messages of `conversations.history` a backup with this request must hold, in order. */
function expectedMessages(messages: readonly HistoryMessage[], request: BackupRequest = {}): HistoryMessage[] {
  const ids = request.accountIds ? new Set(request.accountIds.map((id) => id.toLowerCase())) : null;
  return messages.filter(
    (message) =>
      (!ids || ids.has(message.accountId.toLowerCase())) &&
      (!request.from || message.sentAt >= request.from) &&
      (!request.to || message.sentAt < request.to),
  );
}

/** The file's records (header left out) in the cells' terms, for either format. */
export function fileRecords(bytes: Uint8Array, format: 'csv' | 'jsonl'): string[][] {
  if (format === 'jsonl') return parseJsonlBackup(bytes);
  const records = parseBackup(bytes);
  expect(records[0]).toEqual(HEADER);
  return records.slice(1);
}

/** What the file must hold for these messages, row by row. */
export function expectedRecords(messages: readonly HistoryMessage[], format: 'csv' | 'jsonl'): string[][] {
  return messages.map((message) => messageCells(message, zoneOf(message)).map((cell) => (format === 'csv' ? guarded(cell) : cell)));
}

export async function readJobRecord(store: Store, domainId: string, jobId: string): Promise<BackupJobRecord | null> {
  return expectOk(await store.transaction(domainId, 'read', async (tx) => ok(await tx.getBackupJob(jobId))));
}

/**
 * The cases of R45 (filters, formats, a point in time), R46 (progress, cancel) and R49
 * (downloads never short, expired jobs gone, a runner that lets the host run).
 */
export function pointInTimeCases(current: () => Store) {
  describe('R45 filters, formats and a point in time; R46 progress and cancel; R49 downloads', () => {
    it('R45: both formats hold exactly what conversations.history answers for the same filter, row by row', async () => {
      const fixture = historyFixture(current(), { chunkBytes: 40, pageSize: 4 });
      await seedHistory(fixture);
      const messages = await allHistory(fixture.cx, 'acme');
      expect(messages).toHaveLength(30);
      const requests: BackupRequest[] = [
        {},
        { accountIds: ['help'] },
        { accountIds: ['sales', 'help'], from: new Date('2026-11-24T23:50:00Z') },
        { from: new Date('2026-11-24T23:45:00Z'), to: new Date('2026-11-25T00:05:00Z') },
        { accountIds: ['nobody'] },
      ];
      for (const request of requests) {
        for (const format of ['csv', 'jsonl'] as const) {
          const started = expectOk(await fixture.cx.history.startBackup('acme', { ...request, format }));
          expect(started.format).toBe(format);
          expect(started.filter).toEqual({ from: request.from ?? null, to: request.to ?? null, accountIds: request.accountIds ?? null });
          expectOk(await fixture.cx.history.drain());
          const job = expectOk(await fixture.cx.history.job('acme', started.id));
          expect(job.status, job.failureReason).toBe('ready');
          const bytes = await collect(expectOk(await fixture.cx.history.download('acme', started.id)));
          const expected = expectedMessages(messages, request);
          if (request.accountIds?.[0] === 'help' && !request.from) expect(new Set(expected.map((message) => message.accountUid)).size).toBe(2);
          expect(fileRecords(bytes, format)).toEqual(expectedRecords(expected, format));
          expect(job.rowsTotal).toBe(expected.length);
          expect(job.rowsDone).toBe(expected.length);
          expect(job.byteLength).toBe(bytes.byteLength);
          if (format === 'jsonl' && expected.length === 0) expect(bytes.byteLength).toBe(0);
        }
      }
    });

    it('R45: startBackup options are checked strictly', async () => {
      const fixture = historyFixture(current(), { runner: 'manual' });
      const cases: [unknown, string][] = [
        [{ format: 'xlsx' }, 'options.format'],
        [{ accountIds: [] }, 'options.accountIds'],
        [{ accountIds: ['Help'] }, 'options.accountIds.0'],
        [{ accountIds: 'help' }, 'options.accountIds'],
        [{ from: '2026-01-01' }, 'options.from'],
        [{ to: new Date('invalid') }, 'options.to'],
        [{ from: new Date('2026-02-01'), to: new Date('2026-01-01') }, 'options.to'],
        [{ from: new Date('2026-01-01'), to: new Date('2026-01-01') }, 'options.to'],
        [{ accountId: 'help' }, 'options'],
        ['csv', 'options'],
      ];
      for (const [options, path] of cases) {
        const refused = expectErr(await fixture.cx.history.startBackup('acme', options as BackupRequest), 'validation');
        expect(refused.issues.map((issue) => issue.path), JSON.stringify(options)).toContain(path);
      }
      expect(expectOk(await fixture.cx.events.read('acme')).lastSeq).toBe(0);
    });

    it('R45, R46: writes, renames and a reset racing a running job leave the file exactly as the history was when it started; progress is exact', async () => {
      const pageSize = 3;
      let fixture!: HistoryFixture;
      let jobId = '';
      let page = 0;
      let target = 'sales';
      const progress: { rowsDone: number; rowsTotal: number | null; status: string }[] = [];
      const store = hookedStore(current(), {
        afterRead: async () => {
          const job = expectOk(await fixture.cx.history.job('acme', jobId));
          progress.push({ rowsDone: job.rowsDone, rowsTotal: job.rowsTotal, status: job.status });
          const { cx } = fixture;
          page += 1;
          if (page === 2) {
            // Before, between and after the pages already read.
            for (const at of ['2026-11-24T23:00:00Z', '2026-11-24T23:45:30Z', '2026-11-25T06:00:00Z']) {
              expectOk(await cx.conversations.receiveMessage('acme', target, { customerId: 'c1', content: `late ${at}`, channel: 'line', at: new Date(at) }));
            }
            expectOk(await cx.accounts.update('acme', target, { name: `${target} renamed` }));
            fixture.directory.rename('acme', 'u1', `Kim ${target}`);
            expectOk(await cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'late reply', at: new Date('2026-11-24T23:41:30Z') }));
          }
          if (page === 4) {
            expectOk(await cx.settings.update('acme', 'help', { welcomeMessage: 'hi' }));
            expectOk(await cx.accounts.reset('acme', target));
          }
        },
      });
      fixture = historyFixture(store, { runner: 'manual', chunkBytes: 64, pageSize });
      await seedHistory(fixture);
      for (const format of ['csv', 'jsonl'] as const) {
        const request: BackupRequest = format === 'csv' ? { format } : { format, accountIds: ['help'] };
        target = format === 'csv' ? 'sales' : 'help';
        page = 0;
        progress.length = 0;
        const before = await allHistory(fixture.cx, 'acme');
        const expected = expectedMessages(before, request);
        jobId = expectOk(await fixture.cx.history.startBackup('acme', request)).id;
        const finished = expectOk(await fixture.cx.history.runBackup('acme', jobId));
        expect(finished.status, finished.failureReason).toBe('ready');
        expect(page).toBeGreaterThanOrEqual(4);
        expect((await allHistory(fixture.cx, 'acme')).length).toBe(before.length + 4);
        const bytes = await collect(expectOk(await fixture.cx.history.download('acme', jobId)));
        expect(fileRecords(bytes, format)).toEqual(expectedRecords(expected, format));
        expect(finished.rowsTotal).toBe(expected.length);
        expect(finished.rowsDone).toBe(expected.length);
        // After page k was read, the k pages before it were recorded: exact progress, of an exact total.
        expect(progress).toEqual(
          Array.from({ length: Math.floor(expected.length / pageSize) + 1 }, (_, index) => ({
            rowsDone: index * pageSize,
            rowsTotal: expected.length,
            status: 'running',
          })),
        );
      }
    });

    it('R45, R46: a job whose runner died mid-way is taken over by another process and gives the same file as an uninterrupted run', async () => {
      const plain = historyFixture(current(), { runner: 'manual', chunkBytes: 50, pageSize: 2 });
      await seedHistory(plain, 20);
      const reference = expectOk(await plain.cx.history.startBackup('acme', { format: 'jsonl', accountIds: ['help', 'sales'] }));
      expectOk(await plain.cx.history.runBackup('acme', reference.id));
      const expected = await collect(expectOk(await plain.cx.history.download('acme', reference.id)));

      // The first runner's process "dies" after reading its third page: it never goes on.
      const died = gate();
      const dying = historyFixture(
        hookedStore(current(), {
          afterRead: (read) => {
            if (read.index !== 2) return undefined;
            died.release();
            return new Promise<void>(() => {});
          },
        }),
        { runner: 'manual', chunkBytes: 50, pageSize: 2, staleAfterMs: MINUTE },
        plain.now().toISOString(),
      );
      const started = expectOk(await dying.cx.history.startBackup('acme', { format: 'jsonl', accountIds: ['help', 'sales'] }));
      void dying.cx.history.runBackup('acme', started.id);
      await died.promise;
      const halfWay = await readJobRecord(current(), 'acme', started.id);
      expect(halfWay).toMatchObject({ status: 'running', attempt: 1, rowsDone: 4 });
      expect((await collect(current().readBackupChunks('acme', `${started.id}.1`))).byteLength).toBeGreaterThan(0);

      // Meanwhile the history moves on.
      expectOk(await plain.cx.conversations.receiveMessage('acme', 'sales', { customerId: 'c1', content: 'after the crash', channel: 'line', at: new Date('2026-11-24T23:30:00Z') }));
      expectOk(await plain.cx.accounts.update('acme', 'sales', { name: 'Sales Renamed' }));

      // Another process, once the heartbeat is stale.
      const next = historyFixture(current(), { runner: 'manual', chunkBytes: 50, pageSize: 2, staleAfterMs: MINUTE }, new Date(plain.now().getTime() + 2 * MINUTE).toISOString());
      expect(expectOk(await next.cx.history.runPendingBackups())).toMatchObject({ ready: 1, failed: 0 });
      const job = expectOk(await next.cx.history.job('acme', started.id));
      expect(job).toMatchObject({ status: 'ready', rowsDone: job.rowsTotal });
      expect(await readJobRecord(current(), 'acme', started.id)).toMatchObject({ attempt: 2, watermark: halfWay!.watermark });
      const bytes = await collect(expectOk(await next.cx.history.download('acme', started.id)));
      expect(Buffer.from(bytes).toString('utf8')).toBe(Buffer.from(expected).toString('utf8'));
      expect((await collect(current().readBackupChunks('acme', `${started.id}.1`))).byteLength).toBe(0);
    });

    it('R46: cancel stops a running job after its current page and leaves no chunk behind; it appends backup.cancelled once', async () => {
      let fixture!: HistoryFixture;
      let jobId = '';
      const store = hookedStore(current(), {
        afterRead: async (read) => {
          if (read.index === 1) {
            const cancelled = expectOk(await fixture.cx.history.cancel('acme', jobId));
            expect(cancelled).toMatchObject({ status: 'cancelled', readyAt: null, byteLength: null, expiresAt: new Date(cancelled.requestedAt.getTime() + 7 * DAY) });
          }
        },
      });
      fixture = historyFixture(store, { runner: 'manual', chunkBytes: 8, pageSize: 2 });
      await seedHistory(fixture, 12);
      jobId = expectOk(await fixture.cx.history.startBackup('acme')).id;
      const after = expectOk(await fixture.cx.history.runBackup('acme', jobId));
      expect(after.status).toBe('cancelled');
      expect(after.rowsDone).toBeLessThan(12);
      expect((await collect(current().readBackupChunks('acme', `${jobId}.1`))).byteLength).toBe(0);
      expectErr(await fixture.cx.history.download('acme', jobId), 'backup_not_ready');
      expectErr(await fixture.cx.history.downloadStream('acme', jobId), 'backup_not_ready');
      // Cancelling again, or running it again, changes nothing.
      expect(expectOk(await fixture.cx.history.cancel('acme', jobId))).toEqual(after);
      expect(expectOk(await fixture.cx.history.runBackup('acme', jobId))).toEqual(after);
      const events = await readAllEvents(fixture.cx, 'acme');
      const mine = events.filter((event) => jobIdOf(event) === jobId).map((event) => [event.type, event.actor, event.accountId]);
      expect(mine).toEqual([
        ['backup.requested', null, null],
        ['backup.cancelled', null, null],
      ]);
    });

    it('R46: cancel of a pending job keeps it from running; a finished job is answered as it is; unknown ids are not_found', async () => {
      const fixture = historyFixture(current(), { runner: 'manual' });
      await seedHistory(fixture, 3);
      const pending = expectOk(await fixture.cx.history.startBackup('acme'));
      const cancelled = expectOk(await fixture.cx.as('admin:u1').history.cancel('acme', pending.id));
      expect(cancelled).toMatchObject({ status: 'cancelled', rowsDone: 0, rowsTotal: null });
      expect(expectOk(await fixture.cx.history.runPendingBackups())).toEqual({ ready: 0, failed: 0, skipped: 0, deleted: 0 });
      expect(expectOk(await fixture.cx.history.job('acme', pending.id)).status).toBe('cancelled');

      const done = expectOk(await fixture.cx.history.startBackup('acme'));
      const ready = expectOk(await fixture.cx.history.runBackup('acme', done.id));
      const seqBefore = expectOk(await fixture.cx.events.read('acme')).lastSeq;
      expect(expectOk(await fixture.cx.history.cancel('acme', done.id))).toEqual(ready);
      expect(expectOk(await fixture.cx.events.read('acme')).lastSeq).toBe(seqBefore);
      expect((await collect(expectOk(await fixture.cx.history.download('acme', done.id)))).byteLength).toBe(ready.byteLength);

      expectErr(await fixture.cx.history.cancel('globex', done.id), 'not_found');
      expectErr(await fixture.cx.history.cancel('acme', '00000000-0000-4000-8000-000000000000'), 'not_found');
      expectErr(await fixture.cx.history.cancel('acme', 42 as unknown as string), 'validation');
      const events = (await readAllEvents(fixture.cx, 'acme')).filter((event) => event.type.startsWith('backup.'));
      expect(events.map((event) => [event.type, event.actor])).toEqual([
        ['backup.requested', null],
        ['backup.cancelled', 'admin:u1'],
        ['backup.requested', null],
        ['backup.ready', null],
      ]);
      // Cancelled jobs go with the retention of failed ones.
      fixture.advance(7 * DAY + 1);
      expectErr(await fixture.cx.history.job('acme', pending.id), 'not_found');
      expect(expectOk(await fixture.cx.history.deleteExpiredBackups())).toBe(2);
    });

    it('R46: a failed job appends backup.failed', async () => {
      const fixture = historyFixture(hookedStore(current(), { failRead: () => new Error('disk on fire') }), { runner: 'manual' });
      await seedHistory(fixture, 3);
      const started = expectOk(await fixture.cx.history.startBackup('acme'));
      expect(expectOk(await fixture.cx.history.runBackup('acme', started.id))).toMatchObject({ status: 'failed', rowsDone: 0, rowsTotal: 3 });
      const types = (await readAllEvents(fixture.cx, 'acme')).filter((event) => jobIdOf(event) === started.id).map((event) => event.type);
      expect(types).toEqual(['backup.requested', 'backup.failed']);
    });

    it('R49: a download whose stored file ends short throws instead of ending quietly', async () => {
      const inner = current();
      let cutAfter: number | null = null;
      const store: Store = {
        transaction: (domainId, mode, work) => inner.transaction(domainId, mode, work),
        appendBackupChunk: (...args) => inner.appendBackupChunk(...args),
        readBackupChunks: (domainId, fileId) =>
          (async function* () {
            let given = 0;
            for await (const chunk of inner.readBackupChunks(domainId, fileId)) {
              if (cutAfter !== null && given >= cutAfter) return;
              given += 1;
              yield chunk;
            }
          })(),
        deleteBackupChunks: (...args) => inner.deleteBackupChunks(...args),
        listRunnableBackupJobs: (...args) => inner.listRunnableBackupJobs(...args),
        listExpiredBackupJobs: (...args) => inner.listExpiredBackupJobs(...args),
      };
      const fixture = historyFixture(store, { chunkBytes: 64 });
      await seedHistory(fixture, 10);
      const started = expectOk(await fixture.cx.history.startBackup('acme'));
      expectOk(await fixture.cx.history.drain());
      const whole = await collect(expectOk(await fixture.cx.history.download('acme', started.id)));
      cutAfter = 3;
      await expect(collect(expectOk(await fixture.cx.history.download('acme', started.id)))).rejects.toThrow(/192 of its \d+ bytes/);
      const reader = expectOk(await fixture.cx.history.downloadStream('acme', started.id)).getReader();
      await expect((async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read());
      })()).rejects.toThrow(/bytes/);
      cutAfter = null;
      expect(await collect(expectOk(await fixture.cx.history.download('acme', started.id)))).toEqual(whole);
    });

    it('R49: a file deleted while it is downloaded (retention) ends with an error or whole, never short', async () => {
      const fixture = historyFixture(current(), { chunkBytes: 64 });
      await seedHistory(fixture, 20);
      const started = expectOk(await fixture.cx.history.startBackup('acme'));
      expectOk(await fixture.cx.history.drain());
      const job = expectOk(await fixture.cx.history.job('acme', started.id));
      const iterator = expectOk(await fixture.cx.history.download('acme', started.id))[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      await current().deleteBackupChunks('acme', `${started.id}.1`);
      let received = first.value!.byteLength;
      let failure: unknown = null;
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) received += next.value.byteLength;
      } catch (error) {
        failure = error;
      }
      if (failure === null) expect(received).toBe(job.byteLength);
      else expect(String(failure)).toMatch(/bytes/);
    });

    it('R49: a job past expiresAt cannot be read or downloaded, even before the cleanup deleted it', async () => {
      const fixture = historyFixture(current(), { runner: 'manual', retentionDays: 1 });
      await seedHistory(fixture, 2);
      const started = expectOk(await fixture.cx.history.startBackup('acme'));
      const ready = expectOk(await fixture.cx.history.runBackup('acme', started.id));
      fixture.setNow(new Date(ready.expiresAt!.getTime() - 1));
      expectOk(await fixture.cx.history.download('acme', started.id));
      fixture.setNow(ready.expiresAt!);
      expect(expectErr(await fixture.cx.history.download('acme', started.id), 'not_found').entity).toBe('backup');
      expect(expectErr(await fixture.cx.history.downloadStream('acme', started.id), 'not_found').entity).toBe('backup');
      expect(expectErr(await fixture.cx.history.job('acme', started.id), 'not_found').entity).toBe('backup');
      expect(await readJobRecord(current(), 'acme', started.id)).not.toBeNull();
    });
  });
}

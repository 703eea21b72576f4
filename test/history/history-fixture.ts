import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { BackupJob, BackupOptions } from '../../src/history/history-operations.js';
import { needsFormulaGuard } from '../../src/history/history-csv.js';
import type { Member, MemberDirectory } from '../../src/ports/member-directory.js';
import type { HistoryExportRow } from '../../src/ports/records.js';
import type { Store } from '../../src/ports/store.js';

export const HEADER = ['account_id', 'account_name', 'customer_name', 'sent_at', 'sender', 'content'];

/** A member directory whose names can change, to check names "as they were when sent". */
export type MutableDirectory = MemberDirectory & { rename(domainId: string, memberId: string, name: string): void };

export function mutableDirectory(members: readonly (Member & { domainId: string })[]): MutableDirectory {
  const byKey = new Map(members.map((member) => [`${member.domainId}/${member.id}`, { ...member }]));
  const inDomain = (domainId: string) => [...byKey.values()].filter((member) => member.domainId === domainId);
  return {
    async search(domainId, query, limit) {
      return inDomain(domainId)
        .filter((member) => member.name.toLowerCase().includes(query.toLowerCase()))
        .slice(0, limit)
        .map(({ id, name, email }) => ({ id, name, email }));
    },
    async get(domainId, memberIds) {
      return memberIds.flatMap((id) => {
        const member = byKey.get(`${domainId}/${id}`);
        return member ? [{ id: member.id, name: member.name, email: member.email }] : [];
      });
    },
    rename(domainId, memberId, name) {
      const member = byKey.get(`${domainId}/${memberId}`);
      if (!member) throw new Error(`no member ${domainId}/${memberId}`);
      member.name = name;
    },
  };
}

export const MEMBERS = [
  { domainId: 'acme', id: 'u1', name: 'Kim Minji', email: 'minji@acme.test' },
  { domainId: 'acme', id: 'u2', name: '박지훈', email: 'jihoon@acme.test' },
  { domainId: 'acme', id: 'u3', name: 'Tanaka, "Ken"', email: 'ken@acme.test' },
  { domainId: 'globex', id: 'x1', name: 'Globex Agent', email: 'agent@globex.test' },
];

/** A row as the test expects it in the file (cells before the formula guard). */
export type ExpectedRow = { accountId: string; accountName: string; customerName: string; sentAt: string; sender: string; content: string };

/** A `CxAccounts` over a store with a hand-moved clock and a renamable directory. */
export type HistoryFixture = {
  cx: CxAccounts;
  store: Store;
  directory: MutableDirectory;
  now: () => Date;
  setNow: (at: Date | string) => void;
  advance: (ms: number) => void;
  /** Sets up products `basic` (plenty of units) in `acme` and `globex`. */
  seedProducts: () => Promise<void>;
  /** Creates an account with agents `u1`–`u3` (or `x1` in `globex`), optionally in a time zone. */
  account: (domainId: string, id: string, name: string, timeZone?: string) => Promise<void>;
};

export function historyFixture(store: Store, backups?: BackupOptions, start = '2026-11-25T03:00:00.000Z'): HistoryFixture {
  let now = new Date(start);
  const directory = mutableDirectory(MEMBERS);
  const cx = createCxAccounts({
    store,
    directory,
    contactUrlBase: 'https://talk.example.com/add/',
    clock: () => new Date(now),
    ...(backups ? { backups } : {}),
  });
  return {
    cx,
    store,
    directory,
    now: () => new Date(now),
    setNow: (at) => {
      now = new Date(at);
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    seedProducts: async () => {
      for (const domainId of ['acme', 'globex']) {
        (await cx.products.set(domainId, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 50 }))._unsafeUnwrap();
      }
    },
    account: async (domainId, id, name, timeZone) => {
      const agentIds = domainId === 'globex' ? ['x1'] : ['u1', 'u2', 'u3'];
      (await cx.accounts.create(domainId, { productId: 'basic', id, name, agentIds, image: null }))._unsafeUnwrap();
      if (timeZone) (await cx.settings.update(domainId, id, { timeZone }))._unsafeUnwrap();
    },
  };
}

/** Every byte of an async iterable of chunks. */
export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Starts a backup, lets the in-process runner finish it, and answers the job and its file. */
export async function backupNow(cx: CxAccounts, domainId: string): Promise<{ job: BackupJob; bytes: Uint8Array }> {
  const started = (await cx.history.startBackup(domainId))._unsafeUnwrap();
  (await cx.history.drain())._unsafeUnwrap();
  const job = (await cx.history.job(domainId, started.id))._unsafeUnwrap();
  expect(job.status, job.failureReason).toBe('ready');
  const bytes = await collect((await cx.history.download(domainId, started.id))._unsafeUnwrap());
  return { job, bytes };
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Checks the byte-level shape of a backup file (BOM, valid UTF-8, CRLF after every record)
 * and parses it with csv-parse, strictly: answers the records, header included.
 */
export function parseBackup(bytes: Uint8Array): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual(BOM);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
  expect(text.endsWith('\r\n')).toBe(true);
  return parse(text, { record_delimiter: '\r\n', relax_column_count: false, relax_quotes: false, skip_empty_lines: false }) as string[][];
}

/** What a cell reads as once parsed: the recorded value, behind `'` when it looks like a formula. */
export function guarded(value: string): string {
  return needsFormulaGuard(value) ? `'${value}` : value;
}

/** The records a file must hold for these rows, header first. */
export function expectedRecords(rows: readonly ExpectedRow[]): string[][] {
  return [
    HEADER,
    ...rows.map((row) => [row.accountId, row.accountName, row.customerName, row.sentAt, row.sender, row.content].map(guarded)),
  ];
}

/** An export row for the pure encoder tests. */
export function exportRow(fields: Partial<HistoryExportRow> = {}): HistoryExportRow {
  return {
    accountId: 'help',
    accountName: 'Help',
    timeZone: 'UTC',
    customerName: 'Lee',
    sentAt: new Date('2026-11-25T09:30:00.000Z'),
    senderName: 'Lee',
    content: 'hello',
    ...fields,
  };
}

export async function* rowsOf(rows: readonly HistoryExportRow[]): AsyncGenerator<HistoryExportRow> {
  for (const row of rows) yield row;
}

/** A store whose history stream waits for `release()` before its first row, or fails with `failWith`. */
export function controlledStore(inner: Store, control: { gate?: Promise<void>; failWith?: Error; failAfterRows?: number }): Store {
  return {
    ...inner,
    transaction: (domainId, mode, work) => inner.transaction(domainId, mode, work),
    exportHistory: (domainId) =>
      (async function* () {
        if (control.gate) await control.gate;
        let count = 0;
        for await (const row of inner.exportHistory(domainId)) {
          if (control.failWith && count >= (control.failAfterRows ?? 0)) throw control.failWith;
          count += 1;
          yield row;
        }
        if (control.failWith) throw control.failWith;
      })(),
    appendBackupChunk: (...args) => inner.appendBackupChunk(...args),
    readBackupChunks: (...args) => inner.readBackupChunks(...args),
    deleteBackupChunks: (...args) => inner.deleteBackupChunks(...args),
    listRunnableBackupJobs: (...args) => inner.listRunnableBackupJobs(...args),
    listExpiredBackupJobs: (...args) => inner.listExpiredBackupJobs(...args),
  };
}

/** A promise and the function that resolves it. */
export function gate(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/** Waits until `check` holds, polling the event loop (at most ~2 s). */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let round = 0; round < 400; round++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached');
}

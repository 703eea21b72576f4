import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { HistoryMessage } from '../src/conversations/conversation-reads.js';
import { createCxAccounts, type CxAccounts } from '../src/cx-accounts.js';
import type { BackupJob, BackupOptions, BackupRequest } from '../src/history/history-operations.js';
import { HISTORY_FILE_COLUMNS } from '../src/history/history-columns.js';
import { needsFormulaGuard } from '../src/history/history-csv.js';
import { formatSentAt } from '../src/history/sent-at.js';
import type { Member, MemberDirectory } from '../src/ports/member-directory.js';
import type { HistoryFilter, HistoryPosition, HistoryRow } from '../src/ports/records.js';
import type { Store, StoreTransaction } from '../src/ports/store.js';
import { expectOk } from './conformance/expectations.js';
import { asStoreError } from '../src/ports/store-error.js';

/** The header of a backup file (R26). */
export const HEADER: string[] = [...HISTORY_FILE_COLUMNS];

/** A member directory whose names can change, to check names "as they were when sent". */
export type MutableDirectory = MemberDirectory & {
  /** Gives a member a new name, as the host's directory would after a rename. */
  rename(domainId: string, memberId: string, name: string): void;
};

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

/** Members of the backup fixture's directory. */
export const BACKUP_MEMBERS = [
  { domainId: 'acme', id: 'u1', name: 'Kim Minji', email: 'minji@acme.test' },
  { domainId: 'acme', id: 'u2', name: '박지훈', email: 'jihoon@acme.test' },
  { domainId: 'acme', id: 'u3', name: 'Tanaka, "Ken"', email: 'ken@acme.test' },
  { domainId: 'globex', id: 'x1', name: 'Globex Agent', email: 'agent@globex.test' },
];

/** A row as a test expects it in the file (cells before the formula guard); the last four columns default to what `expectedRecords` is told. */
export type ExpectedRow = { accountId: string; accountName: string; customerName: string; sentAt: string; sender: string; content: string };

/** A `CxAccounts` over a store with a hand-moved clock and a renamable directory. */
export type HistoryFixture = {
  cx: CxAccounts;
  store: Store;
  /** The members, whose names a test may change. */
  directory: MutableDirectory;
  /** The clock's current instant. */
  now: () => Date;
  /** Moves the clock to an instant. */
  setNow: (at: Date | string) => void;
  /** Moves the clock forward by `ms` milliseconds. */
  advance: (ms: number) => void;
  /** Sets up products `basic` (plenty of units) in `acme` and `globex`. */
  seedProducts: () => Promise<void>;
  /** Creates an account with agents `u1`–`u3` (or `x1` in `globex`), optionally in a time zone. */
  account: (domainId: string, id: string, name: string, timeZone?: string) => Promise<void>;
};

/**
 * A {@link HistoryFixture} on a store: `cx` with a hand-moved clock (starting at `start`) and
 * a renamable directory, and the given backup options.
 *
 * @example
 * ```ts
 * const fixture = historyFixture(store, { runner: 'manual', pageSize: 2 });
 * await fixture.seedProducts();
 * await fixture.account('acme', 'help', 'Help', 'Asia/Seoul');
 * const started = await fixture.cx.history.startBackup('acme', { format: 'jsonl' });
 * ```
 *
 * @category Stores
 */
export function historyFixture(store: Store, backups?: BackupOptions, start = '2026-11-25T03:00:00.000Z'): HistoryFixture {
  let now = new Date(start);
  const directory = mutableDirectory(BACKUP_MEMBERS);
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
        expectOk(await cx.products.set(domainId, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 50 }));
      }
    },
    account: async (domainId, id, name, timeZone) => {
      const agentIds = domainId === 'globex' ? ['x1'] : ['u1', 'u2', 'u3'];
      expectOk(await cx.accounts.create(domainId, { productId: 'basic', id, name, agentIds, image: null }));
      if (timeZone) expectOk(await cx.settings.update(domainId, id, { timeZone }));
    },
  };
}

/** Every byte of an async iterable of chunks. */
export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.byteLength;
  }
  const whole = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.byteLength;
  }
  return whole;
}

/** Starts a backup, lets the in-process runner finish it, and answers the job and its file. */
export async function backupNow(cx: CxAccounts, domainId: string, request?: BackupRequest): Promise<{ job: BackupJob; bytes: Uint8Array }> {
  const started = expectOk(await cx.history.startBackup(domainId, request));
  expectOk(await cx.history.drain());
  const job = expectOk(await cx.history.job(domainId, started.id));
  expect(job.status, job.failureReason).toBe('ready');
  const bytes = await collect(expectOk(await cx.history.download(domainId, started.id)));
  return { job, bytes };
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Checks the byte-level shape of a CSV backup file (BOM, valid UTF-8, CRLF after every record)
 * and parses it with csv-parse, strictly: answers the records, header included.
 *
 * @example
 * ```ts
 * const [header, ...records] = parseBackup(bytes);
 * ```
 *
 * @category Stores
 */
export function parseBackup(bytes: Uint8Array): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual(BOM);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
  expect(text.endsWith('\r\n')).toBe(true);
  return parse(text, { record_delimiter: '\r\n', relax_column_count: false, relax_quotes: false, skip_empty_lines: false }) as string[][];
}

/**
 * Checks the shape of a JSONL backup file (no BOM, valid UTF-8, `\n` after every object, keys
 * exactly the header's, in order) and answers each object's values in column order.
 *
 * @example
 * ```ts
 * const records = parseJsonlBackup(bytes); // [['help', 'Help', 'Lee', '2026-11-25T12:00:00.000+09:00', …], …]
 * ```
 *
 * @category Stores
 */
export function parseJsonlBackup(bytes: Uint8Array): string[][] {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\uFEFF')).toBe(false);
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(HEADER);
      return HEADER.map((column) => {
        expect(typeof record[column]).toBe('string');
        return record[column] as string;
      });
    });
}

/** What a cell reads as once parsed from the CSV: the recorded value, behind `'` when it looks like a formula. */
export function guarded(value: string): string {
  return needsFormulaGuard(value) ? `'${value}` : value;
}

/** The first six cells of every CSV record (the columns of the first release). */
export function firstSix(records: readonly string[][]): string[][] {
  return records.map((record) => record.slice(0, 6));
}

/** The records (first six columns) a CSV file must hold for these rows, header first. */
export function expectedRecords(rows: readonly ExpectedRow[]): string[][] {
  return [
    HEADER.slice(0, 6),
    ...rows.map((row) => [row.accountId, row.accountName, row.customerName, row.sentAt, row.sender, row.content].map(guarded)),
  ];
}

/** The cells (every column, unguarded) a message of `conversations.history` must have in a backup file. */
export function messageCells(message: HistoryMessage, timeZone: string): string[] {
  return [
    message.accountId,
    message.accountName,
    message.customerName,
    formatSentAt(message.sentAt, timeZone),
    message.sender.name,
    message.content,
    message.accountUid,
    message.customerId,
    message.channel,
    message.sender.kind,
  ];
}

/** Every message `conversations.history` answers for a query, page by page. */
export async function allHistory(
  cx: CxAccounts,
  domainId: string,
  query: { accountId?: string; from?: Date; to?: Date } = {},
): Promise<HistoryMessage[]> {
  const messages: HistoryMessage[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: HistoryMessage[]; nextCursor: string | null } = expectOk(await cx.conversations.history(domainId, { ...query, limit: 500, cursor }));
    messages.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return messages;
}

/** One page a backup runner read through a store's transaction, as {@link hookedStore} reports it; `index` counts from 0 over the store's life. */
export type HistoryRead = { domainId: string; filter: HistoryFilter; after: HistoryPosition | null; limit: number; rows: HistoryRow[]; index: number };

/** What {@link hookedStore} does around the history reads of backup runners (those with `upToEventSeq`). */
export type HistoryReadHooks = {
  /** Fails the `index`-th read, inside its transaction, with this error as the store's (a `StoreError` whose cause it is). */
  failRead?: (index: number) => Error | null;
  /**
   * Awaited after a transaction that read history committed, before its caller sees the page:
   * here a test writes, renames, resets, cancels — or never resolves, to play a runner whose
   * process died.
   */
  afterRead?: (read: HistoryRead) => void | Promise<void>;
};

/**
 * A store that behaves as `inner`, with hooks around the history reads of backup runners: to
 * interleave other writes between the pages of a backup, to fail a read, or to stop a runner
 * for good.
 *
 * @example
 * ```ts
 * import { memoryStore } from 'cx-accounts/memory';
 *
 * const inner = memoryStore();
 * const store = hookedStore(inner, {
 *   afterRead: async ({ index }) => {
 *     if (index === 1) await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'late', channel: 'line' });
 *   },
 * });
 * ```
 *
 * @category Stores
 */
export function hookedStore(inner: Store, hooks: HistoryReadHooks): Store {
  let reads = 0;
  const wrapTransaction = (tx: StoreTransaction, seen: HistoryRead[], domainId: string): StoreTransaction =>
    new Proxy(tx, {
      get(target, property) {
        if (property === 'readHistory') {
          return async (filter: HistoryFilter, after: HistoryPosition | null, limit: number) => {
            // Only a backup runner reads up to a point in time; other reads pass untouched.
            if (filter.upToEventSeq === undefined) return target.readHistory(filter, after, limit);
            const index = reads++;
            const failure = hooks.failRead?.(index);
            if (failure) throw asStoreError(failure);
            const rows = await target.readHistory(filter, after, limit);
            seen.push({ domainId, filter, after, limit, rows, index });
            return rows;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  return {
    async transaction(domainId, mode, work) {
      const seen: HistoryRead[] = [];
      const result = await inner.transaction(domainId, mode, (tx) => work(wrapTransaction(tx, seen, domainId)));
      if (result.isOk()) for (const read of seen) await hooks.afterRead?.(read);
      return result;
    },
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

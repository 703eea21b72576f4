import { pendingBackupJob } from '../../src/history/backup-job.js';
/**
 * Records for port-level tests of the SQL stores, and a way to run one script on the memory
 * store (the oracle) and an SQL store and compare what they answer.
 */
import { ok, type Result } from 'neverthrow';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import type { CxError } from '../../src/errors.js';
import type { AccountRecord, BackupJobRecord, HistoryRecord } from '../../src/ports/records.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { defaultSettings } from '../../src/schedule/default-settings.js';

/**
 * An active account record. Everything derives from the fields given, so one script builds
 * the same records on every store; `key` defaults to `key-<domain>-<id>`.
 */
export function accountRecord(fields: Partial<AccountRecord> & { domainId: string; id: string }): AccountRecord {
  const name = fields.name ?? `Account ${fields.id}`;
  return {
    key: `key-${fields.domainId}-${fields.id}`,
    name,
    nameKey: name.normalize('NFKC').toLowerCase(),
    description: null,
    image: null,
    productId: 'basic',
    agentIds: ['u1'],
    contactUrl: `https://talk.example.com/add/${fields.domainId}-${fields.id}`,
    activatedAt: new Date('2026-01-01T00:00:00.000Z'),
    resetAt: null,
    version: 1,
    settings: defaultSettings('Asia/Seoul'),
    ...fields,
  };
}

/** A history message of an account. */
export function historyRecord(
  accountKey: string,
  sentAt: string | Date,
  content: string,
  fields: Partial<HistoryRecord> = {},
): HistoryRecord {
  return {
    messageId: `msg-${content}`,
    accountKey,
    accountName: 'Account',
    customerId: 'c1',
    customerName: 'Customer',
    channel: 'lineworks',
    sentAt: new Date(sentAt),
    senderKind: 'customer',
    senderId: 'c1',
    senderName: 'Customer',
    content,
    eventSeq: 0,
    ...fields,
  };
}

/** A backup job. */
export function backupJobRecord(fields: Partial<BackupJobRecord> & { domainId: string; jobId: string }): BackupJobRecord {
  return { ...pendingBackupJob(fields.domainId, fields.jobId, new Date('2026-01-01T00:00:00.000Z')), ...fields };
}

/** Runs `work` in a write transaction and answers its value, failing the test on an error. */
export async function write<T>(store: Store, domainId: string, work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
  const result = await store.transaction(domainId, 'write', async (tx) => ok(await work(tx)));
  if (result.isErr()) throw new Error(`transaction failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Runs `work` in a read transaction and answers its value. */
export async function read<T>(store: Store, domainId: string, work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
  const result = await store.transaction(domainId, 'read', async (tx) => ok(await work(tx)));
  if (result.isErr()) throw new Error(`transaction failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Runs one script on a fresh memory store and on `store`; answers both results to compare. */
export async function onBothStores<T>(store: Store, script: (store: Store) => Promise<T>): Promise<{ memory: T; sql: T }> {
  return { memory: await script(memoryStore()), sql: await script(store) };
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The code of a result's error, or `'ok'`. */
export function outcome(result: Result<unknown, CxError>): string {
  return result.isOk() ? 'ok' : result.error.code;
}

/**
 * Closed unions read back from the tables (issue 20, item 5): a stored value outside its union
 * (a row written by a newer version, or damaged) is a `store_failure` naming the column, never
 * a guess (a backup format read as `csv`, say).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';

let folder: string | null = null;
let store: ClosableStore | null = null;
afterEach(async () => {
  await store?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
  store = null;
  folder = null;
});

async function fixture() {
  folder = mkdtempSync(join(tmpdir(), 'cx-unions-'));
  const file = join(folder, 'cx.sqlite');
  store = await openSqlite(file);
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
    backups: { runner: 'manual' },
  });
  const steps = [
    await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 10 }),
    await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }),
    await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }),
  ];
  for (const step of steps) expect(step.isOk()).toBe(true);
  /** Runs one statement on the file behind the store's back. */
  const tamper = (statement: string) => {
    const raw = new Database(file);
    try {
      raw.prepare(statement).run();
    } finally {
      raw.close();
    }
  };
  return { cx, tamper };
}

describe('stored closed unions (SQLite)', () => {
  it('R46: a backup job whose stored format is unknown is a store_failure naming cx_backup_jobs.format, not a CSV', async () => {
    const { cx, tamper } = await fixture();
    const started = await cx.history.startBackup('acme', { format: 'jsonl' });
    expect(started.isOk()).toBe(true);
    const jobId = started.isOk() ? started.value.id : '';
    tamper(`update cx_backup_jobs set format = 'xml'`);
    const read = await cx.history.job('acme', jobId);
    expect(read.isErr() && read.error.code).toBe('store_failure');
    expect(read.isErr() && read.error.message).toContain('cx_backup_jobs.format');
    expect(read.isErr() && read.error.message).toContain('"xml"');
  });

  it('R40: a contact whose stored channel is unknown is a store_failure naming cx_contacts.channel', async () => {
    const { cx, tamper } = await fixture();
    tamper(`update cx_contacts set channel = 'fax'`);
    const answer = await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hello', channel: 'line' });
    expect(answer.isErr() && answer.error.code).toBe('store_failure');
    expect(answer.isErr() && answer.error.message).toContain('cx_contacts.channel');
  });
});

/**
 * R42: after an erasure and a checkpoint, no readable copy of the erased customer's name or
 * messages stays in the SQLite file (or its write-ahead log): `openSqlite` turns
 * `secure_delete` on, so freed space is overwritten instead of keeping the old rows.
 */
import Database from 'better-sqlite3';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { scratchDatabaseName } from './scratch-databases.js';

const files: string[] = [];
afterAll(async () => {
  for (const file of files) for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
});

/** The file's bytes and its log's, as Latin-1 text (every byte one character, UTF-8 text readable as it is stored). */
async function storedBytes(file: string): Promise<string> {
  let all = '';
  for (const suffix of ['', '-wal']) {
    try {
      all += (await readFile(file + suffix)).toString('latin1');
    } catch {
      // No log file: nothing in it.
    }
  }
  return all;
}

const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('SQLite file after an erasure', () => {
  it('R42: no copy of an erased name or message is readable in the file or its log after a checkpoint; other customers stay', async () => {
    const file = join(tmpdir(), `${scratchDatabaseName()}.sqlite`);
    files.push(file);
    const store = await openSqlite(file);
    const cx = createCxAccounts({
      store,
      directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
      contactUrlBase: 'https://talk.example.com/add/',
    });
    expectOk(await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 3 }));
    expectOk(await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }));
    // Enough messages to fill many pages, long enough to spill some into overflow pages.
    const customers = [
      { customerId: 'gone', name: 'Qwzx Erasable', text: 'SECRETWORD' },
      { customerId: 'kept', name: 'Plmk Keepable', text: 'KEEPWORD' },
    ];
    for (const { customerId, name } of customers) expectOk(await cx.conversations.addContact('acme', 'help', { customerId, name, channel: 'line' }));
    for (let index = 0; index < 150; index++) {
      for (const { customerId, text } of customers) {
        const content = index % 10 === 0 ? `${text}-${index} ${'x'.repeat(6000)}` : `${text}-${index}`;
        expectOk(await cx.conversations.receiveMessage('acme', 'help', { customerId, content, channel: 'line' }));
      }
    }
    // Checkpointed once with the messages in: the main file holds them too, not only the log.
    const raw = new Database(file);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const before = await storedBytes(file);
    expect(occurrences(before, 'SECRETWORD')).toBeGreaterThanOrEqual(150);
    expect(before).toContain('Qwzx Erasable');

    expect(expectOk(await cx.customers.erase('acme', 'gone'))).toMatchObject({ contacts: 1, messages: 150 });
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();

    const after = await storedBytes(file);
    expect(occurrences(after, 'SECRETWORD')).toBe(0);
    expect(after).not.toContain('Qwzx Erasable');
    // The search reads the file as it is: the other customer's words are there to be found.
    expect(occurrences(after, 'KEEPWORD')).toBeGreaterThanOrEqual(150);
    expect(after).toContain('Plmk Keepable');
    await store.close();
  });
});

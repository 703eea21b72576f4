/**
 * Migrations keep what an older release stored: a SQLite file written by release 0.1.0
 * (`fixtures/release-0.1.0.sqlite`, made by `fixtures/make-release-0.1.0.ts` with that
 * release's code) is opened with today's `openSqlite`, which migrates it; every row, account,
 * setting and message reads back unchanged, and the new history fields have their backfilled
 * values (old `auto_reply` senders read as `account`).
 */
import { cxMigrations } from '../../adapters/sql/migrations/cx-migrations.js';
import Database from 'better-sqlite3';
import { copyFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import type { HistoryRow } from '../../src/ports/records.js';
import { scratchDatabaseName } from './scratch-databases.js';
import { read, write } from './store-records.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const expected = JSON.parse(await readFile(new URL('release-0.1.0.expected.json', fixtures), 'utf8')) as {
  accounts: Record<string, unknown>;
  products: Record<string, unknown>;
  history: unknown[];
  tables: Record<string, Record<string, unknown>[]>;
};
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

type OldHistoryRow = { seq: number; account_key: string; customer_id: string; customer_name: string; sent_at: number; sender_kind: string; sender_name: string; content: string };
type OldAccountRow = { key: string; id: string; name: string; domain_id: string; settings: string };
type OldContactRow = { account_key: string; customer_id: string; channel: string };

describe('release 0.1.0 SQLite file, migrated by today\'s openSqlite', () => {
  let file: string;
  let store: ClosableStore;
  beforeEach(async () => {
    file = join(tmpdir(), `${scratchDatabaseName()}.sqlite`);
    await copyFile(new URL('release-0.1.0.sqlite', fixtures), file);
    store = await openSqlite(file);
  });
  afterEach(async () => {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
  });

  const tableRows = (table: string, columns: string[]) => {
    const database = new Database(file, { readonly: true });
    try {
      return database
        .prepare(`select ${columns.map((column) => `"${column}"`).join(', ')} from ${table} order by rowid`)
        .all()
        .map((row) =>
          Object.fromEntries(Object.entries(row as object).map(([column, value]) => [column, Buffer.isBuffer(value) ? { base64: value.toString('base64') } : value])),
        );
    } finally {
      database.close();
    }
  };

  it('runs the migrations after 0001 only, once', () => {
    const database = new Database(file, { readonly: true });
    const names = database.prepare('select name from cx_migrations order by name').all().map((row) => (row as { name: string }).name);
    database.close();
    expect(names).toEqual(Object.keys(cxMigrations));
  });

  it('every row of every table of 0.1.0 keeps its values (auto_reply senders become account)', () => {
    for (const [table, rows] of Object.entries(expected.tables)) {
      const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
      if (columns.length === 0) continue;
      const wanted = table === 'cx_history' ? rows.map((row) => ({ ...row, sender_kind: row.sender_kind === 'auto_reply' ? 'account' : row.sender_kind })) : rows;
      expect(tableRows(table, columns), table).toEqual(wanted);
    }
  });

  it('accounts (every field, settings included) and products read back as 0.1.0 read them', async () => {
    for (const [where, account] of Object.entries(expected.accounts)) {
      const [domainId, id] = where.split('/') as [string, string];
      expect(json(await read(store, domainId, (tx) => tx.findAccount(id))), where).toEqual(account);
    }
    for (const [domainId, products] of Object.entries(expected.products)) {
      expect(json(await read(store, domainId, (tx) => tx.listProducts()))).toEqual(products);
    }
  });

  it('messages read back through readHistory with their backfilled fields, and the export is unchanged', async () => {
    const accounts = new Map((expected.tables.cx_accounts as OldAccountRow[]).map((account) => [account.key, account]));
    const contacts = expected.tables.cx_contacts as OldContactRow[];
    const old = (expected.tables.cx_history as OldHistoryRow[]).filter((row) => accounts.get(row.account_key)!.domain_id === 'acme');
    const wanted: HistoryRow[] = old
      .map((row) => {
        const account = accounts.get(row.account_key)!;
        const senderKind = row.sender_kind === 'auto_reply' ? 'account' : (row.sender_kind as HistoryRow['senderKind']);
        return {
          messageId: `m${String(row.seq).padStart(20, '0')}`,
          accountKey: row.account_key,
          accountName: account.name,
          customerId: row.customer_id,
          customerName: row.customer_name,
          channel: (contacts.find((contact) => contact.account_key === row.account_key && contact.customer_id === row.customer_id)?.channel ??
            'lineworks') as HistoryRow['channel'],
          sentAt: new Date(row.sent_at),
          senderKind,
          senderId: senderKind === 'customer' ? row.customer_id : senderKind === 'account' ? account.id : '',
          senderName: row.sender_name,
          content: row.content,
          eventSeq: 0,
          accountId: account.id,
          timeZone: (JSON.parse(account.settings) as { timeZone: string }).timeZone,
        };
      })
      .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || (a.messageId < b.messageId ? -1 : 1));
    const all = await read(store, 'acme', (tx) => tx.readHistory({}, null, 100));
    expect(all).toEqual(wanted);
    expect(all.filter((row) => row.senderKind === 'account').map((row) => row.content)).toEqual([
      'Welcome to the help desk!',
      'ようこそ',
      'We are away; we answer from 09:00.',
      'Closed for the holiday.',
      '営業時間外です',
    ]);
    // Both accounts that had the ID `olddesk`, the reset one included.
    const olddesk = await read(store, 'acme', (tx) => tx.readHistory({ accountIds: ['olddesk'] }, null, 100));
    expect(olddesk.map((row) => row.content)).toEqual(['Before the reset', 'After the reset']);
    expect(new Set(olddesk.map((row) => row.accountKey)).size).toBe(2);
  });

  it('contacts, bots and rooms read back; the migrated file takes events and new messages', async () => {
    const help = (await read(store, 'acme', (tx) => tx.findAccount('help')))!;
    const contacts = await read(store, 'acme', (tx) => tx.listContacts(help.key, null, 10));
    expect(contacts.map((contact) => [contact.customerId, contact.name, contact.channel])).toEqual([
      ['c1', 'Lee', 'line'],
      ['c2', 'Park', 'mail'],
    ]);
    const bots = await read(store, 'acme', (tx) => tx.listBots());
    expect(bots.map((bot) => [bot.botId, bot.origin, bot.accountKey === null ? null : bot.accountId])).toEqual([
      ['devbot', 'dev_console', null],
      ['helper', 'dev_console', 'help'],
    ]);
    expect((await read(store, 'acme', (tx) => tx.listRooms(help.key))).map((room) => room.kind)).toEqual(['consultation', 'group']);

    expect(await read(store, 'acme', (tx) => tx.lastEventSeq())).toBe(0);
    const seqs = await write(store, 'acme', (tx) =>
      tx.appendEvents([{ type: 'customer.erased', accountId: null, accountUid: null, at: new Date(0), actor: null, data: { customerId: 'c2' } }]),
    );
    expect(seqs).toEqual([1]);
    expect(await write(store, 'acme', (tx) => tx.eraseCustomer('c2'))).toEqual({ contacts: 1, messages: 2, rooms: 0 });
    expect(await read(store, 'acme', (tx) => tx.countHistory({}))).toBe(11);
  });
});

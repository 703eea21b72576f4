/**
 * History pages on SQLite come back as arrays of values (better-sqlite3's raw mode, asked for
 * with `ROW_ARRAYS_HINT`), elsewhere as objects: both forms must give the same `HistoryRow`s.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateCxSchema } from '../../adapters/sql/migrations/cx-migrations.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { ROW_ARRAYS_HINT } from '../../adapters/sql/queries/prepared-queries.js';
import { createSqlStore } from '../../adapters/sql/store/sql-store.js';
import { cachingSqliteDatabase } from '../../adapters/sql/sqlite/sqlite-statement-cache.js';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import type { HistoryFilter, HistoryPosition, HistoryRow } from '../../src/ports/records.js';
import type { Store } from '../../src/ports/store.js';
import { defaultSettings } from '../../src/schedule/default-settings.js';
import { accountRecord, historyRecord, read, write } from './store-records.js';

describe('the SQLite statement cache and ROW_ARRAYS_HINT', () => {
  it('answers a hinted select as arrays of values in select order, the same select without the hint as objects', () => {
    const database = cachingSqliteDatabase(new Database(':memory:'));
    try {
      database.prepare('create table t (a text, b integer)').run([]);
      const insert = `${ROW_ARRAYS_HINT}insert into t (a, b) values (?, ?)`;
      // A hinted statement that returns no rows still runs.
      expect(database.prepare(insert).run(['x', 1])).toMatchObject({ changes: 1 });
      database.prepare(insert).run(['y', 2]);
      const select = 'select b, a from t order by b';
      expect(database.prepare(`${ROW_ARRAYS_HINT}${select}`).all([])).toEqual([
        [1, 'x'],
        [2, 'y'],
      ]);
      expect(database.prepare(select).all([])).toEqual([
        { b: 1, a: 'x' },
        { b: 2, a: 'y' },
      ]);
    } finally {
      database.close();
    }
  });
});

describe('readHistory: rows as arrays (openSqlite) and as objects (a plain Kysely SQLite dialect)', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  /** The same accounts and messages on a store; answers nothing, the reads compare. */
  const seed = async (store: Store) => {
    const help = accountRecord({ domainId: 'acme', id: 'help' });
    const sales = accountRecord({ domainId: 'acme', id: 'sales', settings: defaultSettings('America/New_York') });
    await write(store, 'acme', async (tx) => {
      await tx.insertAccount(help, null);
      await tx.insertAccount(sales, null);
      for (let index = 0; index < 25; index++) {
        await tx.appendHistory(
          historyRecord(index % 3 ? help.key : sales.key, new Date(Date.UTC(2026, 0, 1, 0, index % 7)), `text ${index}, "quoted"`, {
            messageId: `m${String(index).padStart(2, '0')}`,
            customerId: `c${index % 4}`,
            customerName: `Customer ${index % 4}`,
            senderKind: index % 2 ? 'agent' : 'customer',
            senderId: index % 2 ? 'u1' : `c${index % 4}`,
            eventSeq: index,
            channel: 'line',
          }),
        );
      }
    });
  };

  /** Every page of a filter, `limit` rows at a time. */
  const pages = async (store: Store, filter: HistoryFilter, limit: number) => {
    const rows: HistoryRow[] = [];
    let after: HistoryPosition | null = null;
    for (;;) {
      const position: HistoryPosition | null = after;
      const page: HistoryRow[] = await read(store, 'acme', (tx) => tx.readHistory(filter, position, limit));
      rows.push(...page);
      const last = page.at(-1);
      if (!last || page.length < limit) return rows;
      after = { sentAt: last.sentAt, messageId: last.messageId };
    }
  };

  it('R39 R45: both give the same rows, field by field, for every filter and page size', async () => {
    const arrays = await openSqlite(':memory:');
    opened.push(arrays);
    const db = new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    opened.push({ close: () => db.destroy() });
    expect((await migrateCxSchema(db)).isOk()).toBe(true);
    const objects = createSqlStore(db);
    await seed(arrays);
    await seed(objects);

    const filters: HistoryFilter[] = [{}, { accountIds: ['help'] }, { accountIds: ['help', 'sales'] }, { customerId: 'c1' }, { upToEventSeq: 12 }];
    for (const filter of filters) {
      for (const limit of [1, 4, 100]) {
        const fromArrays = await pages(arrays, filter, limit);
        expect(fromArrays.length, JSON.stringify(filter)).toBeGreaterThan(0);
        expect(fromArrays, `${JSON.stringify(filter)} limit ${limit}`).toEqual(await pages(objects, filter, limit));
      }
    }
    const [first] = await pages(arrays, { accountIds: ['sales'] }, 1);
    expect(first).toEqual({
      ...historyRecord('key-acme-sales', new Date(Date.UTC(2026, 0, 1, 0, 0)), 'text 0, "quoted"', {
        messageId: 'm00',
        customerId: 'c0',
        customerName: 'Customer 0',
        senderKind: 'customer',
        senderId: 'c0',
        eventSeq: 0,
        channel: 'line',
      }),
      accountId: 'sales',
      timeZone: 'America/New_York',
    });
  });
});

/**
 * Benchmark of issue 10: `cx.conversations.history` deep in a long history costs what the first
 * page costs (keyset paging, no OFFSET scan), filtered by account and over the whole domain, on
 * SQLite (file) and on the PostgreSQL server.
 * `npx tsx test/bench/history-pages.bench.ts [--messages 1000000] [--accounts 5] [--limit 10] [--page 10000] [--runs 200]`.
 *
 * One domain, `--accounts` accounts made with `cx.accounts.create`, then `--messages` history
 * rows inserted straight into `cx_history` (prepared multi-row inserts on SQLite, one
 * `insert … select … from generate_series` on PostgreSQL), then ANALYZE. Message `i` belongs to
 * account `i % accounts`; fifteen messages share each instant, so every account has three
 * messages per instant and the tie-break on `messageId` is exercised. The cursor of the deep
 * page is built directly (`encodeKeysetCursor('history', …)` of the last row of the page before)
 * and the deep page's ids are checked against the expected rows.
 *
 * Each page is read `runs` times through `cx.conversations.history` (validation, cursor
 * decoding, transaction, account lookups), alternating first and deep page; medians count.
 *
 * Goal: page `--page` (default 10,000) ≤ 1.5× page 1, filtered by account and unfiltered.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import { encodeKeysetCursor } from '../../src/validation/keyset-cursor.js';
import { machineInfo } from '../sql/machine-info.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';
import { benchOption } from './bench-support.js';

const MESSAGES = benchOption('messages', 1_000_000);
const ACCOUNTS = benchOption('accounts', 5);
const LIMIT = benchOption('limit', 10);
const PAGE = benchOption('page', 10_000);
const RUNS = benchOption('runs', 200);
const DOMAIN = 'bench';
const BASE = Date.UTC(2026, 0, 1);
const PER_INSTANT = 3 * ACCOUNTS;

if ((PAGE - 1) * LIMIT + LIMIT > Math.floor(MESSAGES / ACCOUNTS)) {
  throw new Error(`an account has ${Math.floor(MESSAGES / ACCOUNTS)} messages: too few for page ${PAGE} of ${LIMIT}`);
}

/** What message `i` of the seed is (the SQL seeds compute the same values). */
const message = (i: number) => ({
  messageId: i.toString(16).padStart(26, '0'),
  sentAt: BASE + Math.floor(i / PER_INSTANT) * 1000,
  account: i % ACCOUNTS,
});
const accountId = (index: number) => `acct${index}`;

/** The cursor that `history` hands out after row `position` (0-based) of the listing. */
const cursorAfter = (i: number) => {
  const row = message(i);
  return encodeKeysetCursor('history', { at: new Date(row.sentAt), id: row.messageId });
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

async function createAccounts(store: ClosableStore): Promise<{ cx: CxAccounts }> {
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([{ domainId: DOMAIN, id: 'u1', name: 'Agent One', email: 'u1@bench.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
  });
  (await cx.products.set(DOMAIN, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 1000 }))._unsafeUnwrap();
  for (let index = 0; index < ACCOUNTS; index++) {
    (await cx.accounts.create(DOMAIN, { productId: 'basic', name: `Account ${index}`, id: accountId(index), agentIds: ['u1'] }))._unsafeUnwrap();
  }
  return { cx };
}

/** Seeds SQLite with prepared multi-row inserts (500 rows a statement, 50,000 a transaction). */
function seedSqlite(file: string, keys: string[]) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const ROWS = 500;
  const columns = ['account_key', 'domain_id', 'message_id', 'account_name', 'customer_id', 'customer_name', 'channel', 'sent_at', 'sender_kind', 'sender_id', 'sender_name', 'content', 'event_seq'];
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const statement = (rows: number) =>
    db.prepare(`insert into cx_history (${columns.join(', ')}) values ${Array.from({ length: rows }, () => placeholders).join(', ')}`);
  const full = statement(ROWS);
  const values = (i: number) => {
    const row = message(i);
    const customer = `c${i % 5000}`;
    return [keys[row.account]!, DOMAIN, row.messageId, `Account ${row.account}`, customer, `Customer ${i % 5000}`, 'line', row.sentAt, 'customer', customer, `Customer ${i % 5000}`, `Hello, this is message ${i} about my order.`, 0];
  };
  const insertRange = db.transaction((from: number, to: number) => {
    for (let start = from; start < to; start += ROWS) {
      const count = Math.min(ROWS, to - start);
      const params = Array.from({ length: count }, (_, offset) => values(start + offset)).flat();
      (count === ROWS ? full : statement(count)).run(params);
    }
  });
  for (let from = 0; from < MESSAGES; from += 50_000) insertRange(from, Math.min(MESSAGES, from + 50_000));
  db.exec('analyze');
  db.close();
}

/** Seeds PostgreSQL with one `insert … select … from generate_series`. */
async function seedPostgres(url: string, keys: string[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into cx_history (account_key, domain_id, message_id, account_name, customer_id, customer_name, channel, sent_at,
                               sender_kind, sender_id, sender_name, content, event_seq)
       select ($1::text[])[i % $3 + 1], $2, lpad(to_hex(i), 26, '0'), 'Account ' || (i % $3), 'c' || (i % 5000), 'Customer ' || (i % 5000),
              'line', $4::bigint + (i / $5) * 1000, 'customer', 'c' || (i % 5000), 'Customer ' || (i % 5000),
              'Hello, this is message ' || i || ' about my order.', 0
       from generate_series(0, $6::bigint - 1) as i`,
      [keys, DOMAIN, ACCOUNTS, BASE, PER_INSTANT, MESSAGES],
    );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** The message indexes (of the seed) of page `page` (1-based) of the listing, filtered to `account` or not. */
function expectedPage(page: number, account: number | null): number[] {
  const positions = Array.from({ length: LIMIT }, (_, offset) => (page - 1) * LIMIT + offset);
  return positions.map((position) => (account === null ? position : position * ACCOUNTS + account));
}

async function measure(name: string, cx: CxAccounts, seedSeconds: number, explain?: (account: string | null, cursorIndex: number) => Promise<string>) {
  const account = 0;
  const cases = [
    { label: `accountId ${accountId(account)} (${(MESSAGES / ACCOUNTS).toLocaleString('en')} messages)`, account: account as number | null },
    { label: `whole domain (${MESSAGES.toLocaleString('en')} messages)`, account: null as number | null },
  ];
  console.log(`${name}: seeded ${MESSAGES.toLocaleString('en')} messages over ${ACCOUNTS} accounts in ${seedSeconds.toFixed(1)} s`);
  for (const { label, account: filter } of cases) {
    const query = (cursor?: string) => ({ limit: LIMIT, ...(filter === null ? {} : { accountId: accountId(filter) }), ...(cursor ? { cursor } : {}) });
    const deepIndexes = expectedPage(PAGE, filter);
    const cursorIndex = filter === null ? deepIndexes[0]! - 1 : deepIndexes[0]! - ACCOUNTS;
    const cursor = cursorAfter(cursorIndex);
    // Check both pages once.
    for (const [page, cursorOf] of [[1, undefined], [PAGE, cursor]] as const) {
      const items = (await cx.conversations.history(DOMAIN, query(cursorOf)))._unsafeUnwrap().items.map((item) => item.messageId);
      const expected = expectedPage(page, filter).map((i) => message(i).messageId);
      if (JSON.stringify(items) !== JSON.stringify(expected)) throw new Error(`page ${page} of ${label}: ${JSON.stringify(items)} vs ${JSON.stringify(expected)}`);
    }
    const first: number[] = [];
    const deep: number[] = [];
    for (let run = 0; run < RUNS + 20; run++) {
      let start = performance.now();
      (await cx.conversations.history(DOMAIN, query()))._unsafeUnwrap();
      const firstMs = performance.now() - start;
      start = performance.now();
      (await cx.conversations.history(DOMAIN, query(cursor)))._unsafeUnwrap();
      const deepMs = performance.now() - start;
      if (run >= 20) {
        first.push(firstMs);
        deep.push(deepMs);
      }
    }
    const ratio = median(deep) / median(first);
    console.log(
      `  ${label}, ${LIMIT} per page: page 1 ${us(median(first))}, page ${PAGE.toLocaleString('en')} ${us(median(deep))} ` +
        `(median of ${RUNS}); ratio ${ratio.toFixed(2)}× (goal ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`,
    );
    if (ratio > 1.5 && explain) console.log(await explain(filter === null ? null : accountId(filter), cursorIndex));
  }
}

async function main() {
  console.log(machineInfo());
  console.log(`history pages: ${MESSAGES.toLocaleString('en')} messages, ${ACCOUNTS} accounts, ${LIMIT} per page, page ${PAGE.toLocaleString('en')} against page 1`);

  const file = join(tmpdir(), `cx-bench-history-pages-${process.pid}.sqlite`);
  const removeFile = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  };
  removeFile();
  const sqliteStore = await openSqlite(file);
  try {
    const started = performance.now();
    const { cx } = await createAccounts(sqliteStore);
    const reader = new Database(file, { readonly: true });
    const keys = Array.from({ length: ACCOUNTS }, (_, index) => (reader.prepare('select key from cx_accounts where id = ?').get(accountId(index)) as { key: string }).key);
    reader.close();
    seedSqlite(file, keys);
    await measure('SQLite (file)', cx, (performance.now() - started) / 1000, async (account, cursorIndex) => {
      const db = new Database(file, { readonly: true });
      const row = message(cursorIndex);
      const where = account === null ? `domain_id = '${DOMAIN}'` : `account_key = '${keys[Number(account.slice(4))]}'`;
      const plan = db
        .prepare(`explain query plan select * from cx_history where ${where} and sent_at >= ? and (sent_at > ? or message_id > ?) order by sent_at, message_id limit ?`)
        .all(row.sentAt, row.sentAt, row.messageId, LIMIT + 1) as { detail: string }[];
      db.close();
      return `  plan: ${plan.map((step) => step.detail).join(' / ')}`;
    });
  } finally {
    await sqliteStore.close();
    removeFile();
  }

  const available = await postgresAvailable();
  if (available !== true) {
    console.log(`PostgreSQL: skipped (${available})`);
    return;
  }
  const database = await createPostgresDatabase();
  const pgStore = await openPostgres({ connectionString: database.url });
  try {
    const started = performance.now();
    const { cx } = await createAccounts(pgStore);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const keys: string[] = [];
    for (let index = 0; index < ACCOUNTS; index++) {
      keys.push((await client.query('select key from cx_accounts where id = $1', [accountId(index)])).rows[0].key);
    }
    await client.end();
    await seedPostgres(database.url, keys);
    await measure('PostgreSQL', cx, (performance.now() - started) / 1000, async (account, cursorIndex) => {
      const explainClient = new pg.Client({ connectionString: database.url });
      await explainClient.connect();
      const row = message(cursorIndex);
      const where = account === null ? `domain_id = $1` : `account_key = $1`;
      const plan = await explainClient.query(
        `explain (analyze, buffers) select * from cx_history where ${where} and sent_at >= $2 and (sent_at > $2 or message_id > $3) order by sent_at, message_id limit $4`,
        [account === null ? DOMAIN : keys[Number(account.slice(4))], row.sentAt, row.messageId, LIMIT + 1],
      );
      await explainClient.end();
      return plan.rows.map((line: Record<string, string>) => `    ${line['QUERY PLAN']}`).join('\n');
    });
  } finally {
    await pgStore.close();
    await database.drop();
  }
  console.log(machineInfo());
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * Benchmark (b) of issue 4: `accounts.list` page 1 against page 10,000 over 100,000 active
 * accounts of one domain (10 per page), on SQLite and on the PostgreSQL server.
 * `npx tsx test/bench/sql-list.bench.ts [--accounts 100000] [--limit 10] [--runs 300]`.
 *
 * Accounts are seeded with multi-row inserts of the store's own rows (three accounts share
 * each activation instant, so the keyset's tie-break on ID is exercised), plus 2,000 reset
 * accounts and another domain of 10,000. Each page is read `runs` times through
 * `cx.accounts.list` (validation, cursor decoding, transaction, product names included),
 * alternating first and deep page; the median counts. For contrast, the same deep page read
 * with `LIMIT … OFFSET` is timed too (what keyset paging avoids).
 *
 * Goal: page 10,000 ≤ 1.5× page 1.
 */
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Insertable } from 'kysely';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { AccountTable, CxDatabase } from '../../adapters/sql/cx-database.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { accountToRow } from '../../adapters/sql/queries/record-rows.js';
import { encodeAccountCursor } from '../../src/accounts/account-cursor.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import type { AccountRecord } from '../../src/ports/records.js';
import { defaultSettings } from '../../src/schedule/default-settings.js';
import { machineInfo } from '../sql/machine-info.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';
import { benchOption } from './bench-support.js';

const ACCOUNTS = benchOption('accounts', 100_000);
const LIMIT = benchOption('limit', 10);
const RUNS = benchOption('runs', 300);
const DEEP_PAGE = Math.floor(ACCOUNTS / LIMIT);
const BATCH = 1000;
const BASE = Date.UTC(2026, 0, 1);

function record(domainId: string, index: number, resetAt: Date | null = null): AccountRecord {
  const id = `${domainId === 'bench' ? 'acct' : 'othr'}${String(index).padStart(7, '0')}`;
  return {
    key: `${domainId}-${resetAt ? 'reset-' : ''}${index}`,
    domainId,
    id: resetAt ? `${id}r` : id,
    name: `Account ${index}${resetAt ? ' (old)' : ''}`,
    nameKey: `account ${index}${resetAt ? ' (old)' : ''}`,
    description: null,
    image: null,
    productId: 'basic',
    agentIds: ['u1', 'u2'],
    contactUrl: `https://talk.example.com/add/${domainId}-${index}`,
    // Three accounts per instant: ties broken by ID.
    activatedAt: new Date(BASE + Math.floor(index / 3) * 1000),
    resetAt,
    version: 1,
    settings: defaultSettings('Asia/Seoul'),
  };
}

/** Inserts accounts and their agents in multi-row statements, one transaction per batch. */
async function seed(db: Kysely<CxDatabase>, records: AccountRecord[]) {
  for (let start = 0; start < records.length; start += BATCH) {
    const batch = records.slice(start, start + BATCH);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('cx_accounts').values(batch.map((account) => accountToRow(account) as Insertable<AccountTable>)).execute();
      await trx
        .insertInto('cx_account_agents')
        .values(batch.flatMap((account) => account.agentIds.map((memberId, position) => ({ account_key: account.key, member_id: memberId, position }))))
        .execute();
    });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(name: string, store: ClosableStore, db: Kysely<CxDatabase>) {
  const seedStart = performance.now();
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([{ domainId: 'bench', id: 'u1', name: 'u1', email: 'u1@bench.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
  });
  (await cx.products.set('bench', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 1_000_000 }))._unsafeUnwrap();
  (await cx.products.set('other', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 1_000_000 }))._unsafeUnwrap();
  await seed(db, Array.from({ length: ACCOUNTS }, (_, index) => record('bench', index)));
  await seed(db, Array.from({ length: 2000 }, (_, index) => record('bench', index * 37, new Date(BASE))));
  await seed(db, Array.from({ length: 10_000 }, (_, index) => record('other', index)));
  if (name.startsWith('PostgreSQL')) await sql`analyze`.execute(db);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  // The cursor of page DEEP_PAGE is the position of the last row of page DEEP_PAGE - 1.
  const lastBefore = record('bench', (DEEP_PAGE - 1) * LIMIT - 1);
  const deepCursor = encodeAccountCursor({ activatedAt: lastBefore.activatedAt, id: lastBefore.id });
  const first = await cx.accounts.list('bench', { limit: LIMIT });
  const deep = await cx.accounts.list('bench', { limit: LIMIT, cursor: deepCursor });
  const deepIds = deep._unsafeUnwrap().items.map((item) => item.id);
  const expected = Array.from({ length: LIMIT }, (_, index) => record('bench', (DEEP_PAGE - 1) * LIMIT + index).id).filter(
    (_, index) => (DEEP_PAGE - 1) * LIMIT + index < ACCOUNTS,
  );
  if (first._unsafeUnwrap().items.length !== LIMIT || JSON.stringify(deepIds) !== JSON.stringify(expected)) {
    throw new Error(`unexpected pages: ${JSON.stringify(deepIds)} vs ${JSON.stringify(expected)}`);
  }

  const times = { first: [] as number[], deep: [] as number[], offset: [] as number[] };
  const offsetQuery = () =>
    db
      .selectFrom('cx_accounts')
      .select(['id', 'name', 'product_id', 'contact_url', 'activated_at', 'agent_count'])
      .where('active_domain_id', '=', 'bench')
      .orderBy('activated_at')
      .orderBy('id')
      .limit(LIMIT)
      .offset((DEEP_PAGE - 1) * LIMIT)
      .execute();
  for (let run = 0; run < RUNS; run++) {
    let start = performance.now();
    (await cx.accounts.list('bench', { limit: LIMIT }))._unsafeUnwrap();
    times.first.push(performance.now() - start);
    start = performance.now();
    (await cx.accounts.list('bench', { limit: LIMIT, cursor: deepCursor }))._unsafeUnwrap();
    times.deep.push(performance.now() - start);
    if (run < 20) {
      start = performance.now();
      await offsetQuery();
      times.offset.push(performance.now() - start);
    }
  }
  const firstMs = median(times.first);
  const deepMs = median(times.deep);
  const ratio = deepMs / firstMs;
  console.log(
    `${name}: seeded ${ACCOUNTS} + 12,000 accounts in ${seedSeconds.toFixed(1)} s; ` +
      `page 1 ${(firstMs * 1000).toFixed(0)} µs, page ${DEEP_PAGE} ${(deepMs * 1000).toFixed(0)} µs ` +
      `(median of ${RUNS}); ratio ${ratio.toFixed(2)}× (goal ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}; ` +
      `same page by OFFSET: ${(median(times.offset) * 1000).toFixed(0)} µs`,
  );
}

async function main() {
  console.log(machineInfo());
  console.log(`${ACCOUNTS} active accounts in one domain, ${LIMIT} per page`);


  const file = join(tmpdir(), `cx-bench-list-${process.pid}.sqlite`);
  const removeFile = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  };
  removeFile();
  const sqliteStore = await openSqlite(file);
  const sqliteDb = new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  try {
    await measure('SQLite (file)', sqliteStore, sqliteDb);
  } finally {
    await sqliteStore.close();
    await sqliteDb.destroy();
    removeFile();
  }

  const available = await postgresAvailable();
  if (available !== true) {
    console.log(`PostgreSQL: skipped (${available})`);
    return;
  }
  const database = await createPostgresDatabase();
  const pgStore = await openPostgres({ connectionString: database.url });
  const pgDb = new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
  try {
    await measure('PostgreSQL', pgStore, pgDb);
  } finally {
    await pgStore.close();
    await pgDb.destroy();
    await database.drop();
  }
  console.log(machineInfo());
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

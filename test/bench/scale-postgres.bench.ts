/**
 * Benchmark of issue 13 ("Size"): the PostgreSQL store at production size — deep pages of
 * `accounts.list`, `events.read` and `conversations.history` against their first page, and the
 * bytes on disk per message and per event.
 * `npx tsx test/bench/scale-postgres.bench.ts [--domains 10000] [--accounts 10] [--messages 10000000]
 *   [--hot 0.1] [--big-accounts 100000] [--page 10000] [--runs 100] [--explain]`.
 *
 * Seed (all SQL, `insert … select … from generate_series`, in a scratch database):
 * - one template account made with `cx.accounts.create` (domain `tmpl`); every seeded account
 *   copies its settings and its events (with the seeded account's ID, uid and name);
 * - `--domains` domains `d00000…` × `--accounts` accounts (2 agents each), product `basic`;
 * - domain `big` with `--big-accounts` active accounts (three per activation instant), for
 *   `accounts.list` page `--page` of 10;
 * - `--messages` history rows with one `message.received` event each (`event_seq` set), so each
 *   domain's event log is gap-free: the account events first, then one event per message.
 *   A share `--hot` of the messages goes to the first account of `d00000` (the hot account, for
 *   page `--page` of 100 by account and over the domain, and for `events.read` page `--page` of
 *   100); the rest is spread evenly over every account of every domain.
 * Secondary indexes of the big tables are dropped before the load and rebuilt after it from
 * their own definitions (`pg_indexes`; and the events' primary key), as a bulk load does; the schema measured is the
 * migrated one. Then ANALYZE.
 *
 * Measures, `runs` times each, alternating first and deep page, through the public API; the
 * medians count. Goal: each deep page ≤ 1.5× its first page. A pair that misses it (or every
 * pair, with `--explain`) prints EXPLAIN (ANALYZE, BUFFERS) of the store's own SQL for both pages. Then sizes from
 * `pg_total_relation_size` (heap + TOAST + indexes) divided by the row count.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import type { QueryShape } from '../../adapters/sql/queries/prepared-queries.js';
import { LIST_ACCOUNTS_AFTER, LIST_ACCOUNTS_FIRST, READ_EVENTS, historyShape } from '../../adapters/sql/queries/store-queries.js';
import { encodeAccountCursor } from '../../src/accounts/account-cursor.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { encodeKeysetCursor } from '../../src/validation/keyset-cursor.js';
import { machineInfo } from '../sql/machine-info.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';
import { benchOption } from './bench-support.js';

const args = process.argv.slice(2);
const DOMAINS = benchOption('domains', 10_000);
const ACCOUNTS = benchOption('accounts', 10);
const MESSAGES = benchOption('messages', 10_000_000);
const HOT = Math.floor(MESSAGES * benchOption('hot', 0.1));
const BIG_ACCOUNTS = benchOption('big-accounts', 100_000);
const PAGE = benchOption('page', 10_000);
const RUNS = benchOption('runs', 100);
const LIST_LIMIT = 10;
const READ_LIMIT = 100;
const BASE = Date.UTC(2026, 0, 1);
/** Messages of the rest start after the hot account's (three per second). */
const REST_BASE = BASE + (Math.ceil(HOT / 3) + 1) * 1000;
const REGULAR = DOMAINS * ACCOUNTS;

const fmt = (value: number) => value.toLocaleString('en');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const domainName = (index: number) => `d${String(index).padStart(5, '0')}`;

async function main() {
  console.log(machineInfo());
  const available = await postgresAvailable();
  if (available !== true) {
    console.log(`PostgreSQL: skipped (${available})`);
    return;
  }
  const database = await createPostgresDatabase();
  const store = await openPostgres({ connectionString: database.url });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const figures: string[] = [];
  /** Compiles the store's query shapes to the SQL it runs (for EXPLAIN). */
  const compiler = new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }) });
  try {
    const version = (await client.query('show server_version')).rows[0].server_version as string;
    console.log(
      `PostgreSQL ${version}: ${fmt(DOMAINS)} domains × ${fmt(ACCOUNTS)} accounts + 1 domain of ${fmt(BIG_ACCOUNTS)} accounts, ` +
        `${fmt(MESSAGES)} messages (${fmt(HOT)} in the hot account)`,
    );

    // The template account, made by the library.
    const cx = createCxAccounts({
      store,
      directory: memoryDirectory(
        ['tmpl', 'big', domainName(0)].flatMap((domainId) => [
          { domainId, id: 'u1', name: 'Agent One', email: 'u1@bench.test' },
          { domainId, id: 'u2', name: 'Agent Two', email: 'u2@bench.test' },
        ]),
      ),
      contactUrlBase: 'https://talk.example.com/add/',
    });
    (await cx.products.set('tmpl', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 10 }))._unsafeUnwrap();
    (await cx.accounts.create('tmpl', { productId: 'basic', name: 'Template', id: 'template', agentIds: ['u1', 'u2'] }))._unsafeUnwrap();
    const template = (await client.query(`select * from cx_accounts where domain_id = 'tmpl'`)).rows[0];
    const templateEvents = (await client.query(`select * from cx_events where domain_id = 'tmpl' and account_id = 'template' order by seq`)).rows;
    const perAccount = templateEvents.length;

    const step = async (label: string, text: string, values: unknown[] = []) => {
      const start = performance.now();
      const result = await client.query(text, values);
      const seconds = (performance.now() - start) / 1000;
      console.log(`  ${label}: ${seconds.toFixed(1)} s${result.rowCount ? ` (${fmt(result.rowCount)} rows)` : ''}`);
      return seconds;
    };
    /** EXPLAIN (ANALYZE, BUFFERS) of the SQL the store runs for `shape` with `values`. */
    const explain = async (shape: QueryShape, values: unknown[]) => {
      const markers = values.map((_, index) => `\u0000arg${index}\u0000`);
      const compiled = shape.build(compiler, markers).compile();
      const parameters = compiled.parameters.map((value) => (typeof value === 'string' && markers.includes(value) ? values[markers.indexOf(value)] : value));
      const plan = await client.query(`explain (analyze, buffers) ${compiled.sql}`, parameters);
      return plan.rows.map((row: Record<string, string>) => `      ${row['QUERY PLAN']}`).join('\n');
    };
    const seedStart = performance.now();
    await client.query(`set maintenance_work_mem = '512MB'`);
    const bulkTables = ['cx_accounts', 'cx_account_agents', 'cx_events', 'cx_history'];
    const secondary = (
      await client.query(
        `select indexname, indexdef from pg_indexes i
          where schemaname = current_schema() and tablename = any($1)
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
        [bulkTables],
      )
    ).rows as { indexname: string; indexdef: string }[];
    for (const index of secondary) await client.query(`drop index ${index.indexname}`);
    // The events' primary key (domain_id, seq) too: the load writes domains round-robin.
    const eventKeys = (
      await client.query(
        `select conname, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'cx_events'::regclass and contype = 'p'`,
      )
    ).rows as { conname: string; definition: string }[];
    for (const key of eventKeys) await client.query(`alter table cx_events drop constraint ${key.conname}`);

    // Domains and products: the regular ones, then `big`.
    await step(
      'domains and products',
      `with d as (select 'd' || lpad(n::text, 5, '0') as domain_id from generate_series(0, $1::int - 1) n union all select 'big'),
            i as (insert into cx_domains (domain_id, last_seq) select domain_id, 0 from d)
       insert into cx_products (domain_id, product_id, name, seat_limit, quantity) select domain_id, 'basic', 'Basic', 5, 1000000 from d`,
      [DOMAINS],
    );
    // Accounts: a (domain, number, id, key, name, activated_at) per account, columns copied from the template.
    const accountRows = `
      with a as (
        select 'd' || lpad((g / $1)::text, 5, '0') as domain_id, 'a' || lpad((g / $1)::text, 5, '0') || 'n' || (g % $1) as id,
               'Account ' || (g % $1) as name, $3::bigint + (g % $1) * 1000 + (g / $1) as activated_at
          from generate_series(0, $2::bigint - 1) g
        union all
        select 'big', 'b' || lpad(j::text, 7, '0'), 'Account ' || j, $3::bigint + (j / 3) * 1000
          from generate_series(0, $4::bigint - 1) j)`;
    const accountValues = [ACCOUNTS, REGULAR, BASE, BIG_ACCOUNTS];
    await step(
      'accounts',
      `${accountRows}
       insert into cx_accounts (key, domain_id, id, name, name_key, active_id, active_domain_id, active_name_hash, description,
                                image_file_name, image_byte_length, image_width, image_height, product_id, agent_count,
                                contact_url, activated_at, reset_at, version, settings)
       select 'k-' || a.id, a.domain_id, a.id, a.name, lower(a.name), lower(a.id), a.domain_id, encode(sha256(convert_to(lower(a.name), 'UTF8')), 'hex'),
              null, null, null, null, null, 'basic', t.agent_count, 'https://talk.example.com/add/' || md5(a.id || random()::text),
              a.activated_at, null, 1, t.settings
         from a cross join (select agent_count, settings from cx_accounts where key = $5) t`,
      [...accountValues, template.key],
    );
    await step(
      'agents',
      `insert into cx_account_agents (account_key, member_id, position)
       select a.key, m.member_id, m.position from cx_accounts a
         cross join (select member_id, position from cx_account_agents where account_key = $1) m
        where a.domain_id <> 'tmpl'`,
      [template.key],
    );
    // Account events: the template's, per account, numbered from 1 in each domain in account order.
    await step(
      'account events',
      `insert into cx_events (domain_id, seq, type, account_id, account_uid, at, actor, data)
       select a.domain_id, (row_number() over (partition by a.domain_id order by a.id) - 1) * $1 + t.seq - $2 + 1,
              t.type, a.id, a.key, a.activated_at, t.actor, replace(t.data, '"Template"', '"' || a.name || '"')
         from cx_accounts a cross join (select * from cx_events where domain_id = 'tmpl' and account_id = 'template') t
        where a.domain_id <> 'tmpl'`,
      [perAccount, templateEvents[0]?.seq ?? 1],
    );
    // Messages: i < HOT to the hot account (d00000, account 0), three per second; the rest
    // round-robin over every regular account, one per account per second. `m` gives each
    // message its domain, account and position in its domain's log (after the account events).
    const messageRows = `
      with m as (
        select i, case when i < $1 then 0 else ((i - $1) % $2) / $3 end as domain_n,
                  case when i < $1 then 0 else (i - $1) % $3 end as account_n,
                  case when i < $1 then $5::bigint + (i / 3) * 1000 else $6::bigint + ((i - $1) / $2) * 1000 end as sent_at,
                  $3::bigint * $7 + case when i < $1 then i + 1
                    else (case when ((i - $1) % $2) / $3 = 0 then $1 else 0 end) + ((i - $1) / $2) * $3 + (i - $1) % $3 + 1 end as seq
          from generate_series(0, $4::bigint - 1) i),
      r as (
        select m.*, 'd' || lpad(domain_n::text, 5, '0') as domain_id, 'a' || lpad(domain_n::text, 5, '0') || 'n' || account_n as account_id,
               lpad(to_hex(i), 26, '0') as message_id, 'c' || (i % 50000) as customer_id
          from m)`;
    const messageValues = [HOT, REGULAR, ACCOUNTS, MESSAGES, BASE, REST_BASE, perAccount];
    await step(
      'messages and their events',
      `${messageRows},
      e as (
        insert into cx_events (domain_id, seq, type, account_id, account_uid, at, actor, data)
        select domain_id, seq, 'message.received', account_id, 'k-' || account_id, sent_at, null,
               '{"messageId":"' || message_id || '","customerId":"' || customer_id || '","channel":"line"}'
          from r)
       insert into cx_history (account_key, domain_id, message_id, account_name, customer_id, customer_name, channel, sent_at,
                               sender_kind, sender_id, sender_name, content, event_seq)
       select 'k-' || account_id, domain_id, message_id, 'Account ' || account_n, customer_id, 'Customer ' || (i % 50000), 'line', sent_at,
              'customer', customer_id, 'Customer ' || (i % 50000), 'Hello, this is message ' || i || ' about my order.', seq
         from r`,
      messageValues,
    );
    await step(
      'last_seq',
      `update cx_domains d set last_seq = e.last from (select domain_id, max(seq) as last from cx_events group by domain_id) e
        where d.domain_id = e.domain_id and d.domain_id <> 'tmpl'`,
    );
    const indexStart = performance.now();
    for (const key of eventKeys) await client.query(`alter table cx_events add constraint ${key.conname} ${key.definition}`);
    for (const index of secondary) await client.query(index.indexdef);
    console.log(`  cx_events primary key and ${secondary.length} secondary indexes rebuilt: ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);
    await step('analyze', 'analyze');
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`  seeded in ${seedSeconds.toFixed(1)} s`);

    // Sanity: the hot domain's log is gap-free and its messages point at their events.
    const check = (
      await client.query(
        `select (select last_seq from cx_domains where domain_id = 'd00000') as last_seq,
                (select count(*) from cx_events where domain_id = 'd00000') as events,
                (select count(*) from cx_history h where h.domain_id = 'd00000'
                   and not exists (select 1 from cx_events e where e.domain_id = 'd00000' and e.seq = h.event_seq
                                     and e.data like '%' || h.message_id || '%')) as unmatched`,
      )
    ).rows[0];
    if (Number(check.last_seq) !== Number(check.events) || Number(check.unmatched) !== 0) {
      throw new Error(`inconsistent seed: ${JSON.stringify(check)}`);
    }
    const replay = (await cx.events.read(domainName(0), { after: 0, limit: 5 }))._unsafeUnwrap();
    if (replay.lastSeq !== Number(check.last_seq) || replay.events[0]?.type !== templateEvents[0]?.type) throw new Error('unexpected events');

    // Paired timings, first page and deep page alternating.
    const results: { label: string; first: number; deep: number; deepPage: number; plans: () => Promise<string> }[] = [];
    const pair = async (
      label: string,
      deepPage: number,
      first: () => Promise<unknown>,
      deep: () => Promise<unknown>,
      plans: { first: [QueryShape, unknown[]]; deep: [QueryShape, unknown[]] },
    ) => {
      const firstTimes: number[] = [];
      const deepTimes: number[] = [];
      for (let run = 0; run < RUNS + 10; run++) {
        let start = performance.now();
        await first();
        const firstMs = performance.now() - start;
        start = performance.now();
        await deep();
        const deepMs = performance.now() - start;
        if (run >= 10) {
          firstTimes.push(firstMs);
          deepTimes.push(deepMs);
        }
      }
      const explainBoth = async () =>
        `    page 1:\n${await explain(...plans.first)}\n    page ${fmt(deepPage)}:\n${await explain(...plans.deep)}`;
      results.push({ label, first: median(firstTimes), deep: median(deepTimes), deepPage, plans: explainBoth });
    };

    // accounts.list in `big`, 10 a page.
    const listPage = Math.min(PAGE, Math.floor(BIG_ACCOUNTS / LIST_LIMIT));
    const lastBefore = (listPage - 1) * LIST_LIMIT - 1;
    const listCursor = encodeAccountCursor({ activatedAt: new Date(BASE + Math.floor(lastBefore / 3) * 1000), id: `b${String(lastBefore).padStart(7, '0')}` });
    const listDeep = (await cx.accounts.list('big', { limit: LIST_LIMIT, cursor: listCursor }))._unsafeUnwrap().items;
    if (listDeep[0]?.id !== `b${String(lastBefore + 1).padStart(7, '0')}` || listDeep.length !== LIST_LIMIT) throw new Error('unexpected accounts page');
    await pair(
      `accounts.list, ${fmt(BIG_ACCOUNTS)} accounts in the domain, ${LIST_LIMIT} a page`,
      listPage,
      async () => (await cx.accounts.list('big', { limit: LIST_LIMIT }))._unsafeUnwrap(),
      async () => (await cx.accounts.list('big', { limit: LIST_LIMIT, cursor: listCursor }))._unsafeUnwrap(),
      {
        first: [LIST_ACCOUNTS_FIRST, ['big', LIST_LIMIT + 1]],
        deep: [LIST_ACCOUNTS_AFTER, ['big', BASE + Math.floor(lastBefore / 3) * 1000, `b${String(lastBefore).padStart(7, '0')}`, LIST_LIMIT + 1]],
      },
    );

    // events.read in d00000, 100 a page.
    const eventsInDomain = Number(check.last_seq);
    const eventPage = Math.min(PAGE, Math.floor(eventsInDomain / READ_LIMIT));
    const after = (eventPage - 1) * READ_LIMIT;
    const eventsDeep = (await cx.events.read(domainName(0), { after, limit: READ_LIMIT }))._unsafeUnwrap().events;
    if (eventsDeep[0]?.seq !== after + 1 || eventsDeep.length !== READ_LIMIT) throw new Error('unexpected events page');
    await pair(
      `events.read, ${fmt(eventsInDomain)} events in the domain, ${READ_LIMIT} a page`,
      eventPage,
      async () => (await cx.events.read(domainName(0), { after: 0, limit: READ_LIMIT }))._unsafeUnwrap(),
      async () => (await cx.events.read(domainName(0), { after, limit: READ_LIMIT }))._unsafeUnwrap(),
      { first: [READ_EVENTS, [domainName(0), 0, READ_LIMIT]], deep: [READ_EVENTS, [domainName(0), after, READ_LIMIT]] },
    );

    // conversations.history of the hot account and of its whole domain, 100 a page: the hot
    // messages come first in both listings, so the deep cursor is the same.
    const historyPage = Math.min(PAGE, Math.floor(HOT / READ_LIMIT));
    const lastRow = (historyPage - 1) * READ_LIMIT - 1;
    const historyCursor = encodeKeysetCursor('history', { at: new Date(BASE + Math.floor(lastRow / 3) * 1000), id: lastRow.toString(16).padStart(26, '0') });
    const inAccount = Number((await client.query(`select count(*) from cx_history where account_key = 'k-a00000n0'`)).rows[0].count);
    const inDomain = Number((await client.query(`select count(*) from cx_history where domain_id = 'd00000'`)).rows[0].count);
    const cursorAt = BASE + Math.floor(lastRow / 3) * 1000;
    const cursorId = lastRow.toString(16).padStart(26, '0');
    for (const [label, filter, keys] of [
      [`conversations.history by account, ${fmt(inAccount)} messages in the account`, { accountId: 'a00000n0' }, ['k-a00000n0']],
      [`conversations.history of the domain, ${fmt(inDomain)} messages in the domain`, {}, []],
    ] as const) {
      const options = { keys: keys.length, customer: false, from: false, to: false, upTo: false, afterSeq: false };
      const deep = (await cx.conversations.history(domainName(0), { ...filter, limit: READ_LIMIT, cursor: historyCursor }))._unsafeUnwrap().items;
      if (deep[0]?.messageId !== (lastRow + 1).toString(16).padStart(26, '0') || deep.length !== READ_LIMIT) throw new Error(`unexpected history page (${label})`);
      await pair(
        `${label}, ${READ_LIMIT} a page`,
        historyPage,
        async () => (await cx.conversations.history(domainName(0), { ...filter, limit: READ_LIMIT }))._unsafeUnwrap(),
        async () => (await cx.conversations.history(domainName(0), { ...filter, limit: READ_LIMIT, cursor: historyCursor }))._unsafeUnwrap(),
        {
          first: [historyShape(false, { ...options, after: false }), [domainName(0), ...keys, READ_LIMIT + 1]],
          deep: [historyShape(false, { ...options, after: true }), [domainName(0), ...keys, cursorAt, cursorId, READ_LIMIT + 1]],
        },
      );
    }

    console.log(`\ndeep page against page 1 (median of ${RUNS}, alternating; goal ≤ 1.5×):`);
    for (const { label, first, deep, deepPage, plans } of results) {
      const ratio = deep / first;
      const line = `${label}: page 1 ${us(first)}, page ${fmt(deepPage)} ${us(deep)}, ratio ${ratio.toFixed(2)}× ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`;
      console.log(`  ${line}`);
      if (ratio > 1.5 || args.includes('--explain')) console.log(await plans());
      figures.push(`| ${label} | ${us(first)} | ${fmt(deepPage)} | ${us(deep)} | ${ratio.toFixed(2)}× |`);
    }

    // Bytes on disk.
    const sizes = (
      await client.query(
        `select t as table_name, pg_relation_size(t) as heap, pg_total_relation_size(t) - pg_relation_size(t) - pg_indexes_size(t) as toast,
                pg_indexes_size(t) as indexes, pg_total_relation_size(t) as total
           from unnest(array['cx_history', 'cx_events', 'cx_accounts', 'cx_account_agents']) t`,
      )
    ).rows as { table_name: string; heap: string; toast: string; indexes: string; total: string }[];
    const counts: Record<string, number> = {};
    for (const table of ['cx_history', 'cx_events', 'cx_accounts', 'cx_account_agents']) {
      counts[table] = Number((await client.query(`select count(*) from ${table}`)).rows[0].count);
    }
    console.log('\nbytes on disk (pg_total_relation_size: heap + TOAST + indexes), per row:');
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const sizeRows: string[] = [];
    for (const size of sizes) {
      const rows = counts[size.table_name]!;
      const per = (value: string) => (rows ? (Number(value) / rows).toFixed(0) : '-');
      const what = { cx_history: 'message', cx_events: 'event', cx_accounts: 'account', cx_account_agents: 'agent' }[size.table_name];
      console.log(
        `  ${size.table_name}: ${fmt(rows)} rows, ${mib(Number(size.total))} = heap ${mib(Number(size.heap))} + TOAST ${mib(Number(size.toast))} + indexes ${mib(Number(size.indexes))}; ` +
          `${per(size.total)} bytes per ${what} (heap ${per(size.heap)}, indexes ${per(size.indexes)})`,
      );
      sizeRows.push(`| ${size.table_name} | ${fmt(rows)} | ${mib(Number(size.total))} | ${per(size.total)} B per ${what} | ${per(size.heap)} B | ${per(size.indexes)} B |`);
    }
    const indexSizes = (
      await client.query(
        `select indexrelname as name, pg_relation_size(indexrelid) as bytes from pg_stat_user_indexes
          where relname in ('cx_history', 'cx_events') order by relname, indexrelname`,
      )
    ).rows as { name: string; bytes: string }[];
    console.log(`  indexes: ${indexSizes.map((index) => `${index.name} ${mib(Number(index.bytes))}`).join(', ')}`);

    console.log('\nFor the README:\n');
    console.log(
      `PostgreSQL ${version}, ${fmt(DOMAINS)} domains × ${fmt(ACCOUNTS)} accounts plus one domain of ${fmt(BIG_ACCOUNTS)} accounts, ` +
        `${fmt(MESSAGES)} messages and ${fmt(counts.cx_events!)} events (seeded in ${seedSeconds.toFixed(0)} s); ${machineInfo()}.\n`,
    );
    console.log('| read | page 1 | deep page | deep page time | ratio |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const line of figures) console.log(line);
    console.log('\n| table | rows | on disk | per row (total) | heap per row | indexes per row |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const line of sizeRows) console.log(line);
  } finally {
    await compiler.destroy();
    await client.end();
    await store.close();
    await database.drop();
  }
  console.log(`\n${machineInfo()}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

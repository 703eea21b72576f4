/**
 * Benchmark of `customers.erase` (R42): `npm run bench -- erasure`, or
 * `npx tsx test/bench/erasure.bench.ts [--messages 1000000] [--only sqlite|postgres|mysql|secure-delete]`
 * (or `CX_BENCH_ERASE_MESSAGES=100000`).
 *
 * 1. Erasure of one customer with N messages (default 1,000,000; another customer has N/10 and
 *    stays) on SQLite (a file), PostgreSQL and MariaDB: the time of the call and the peak RSS
 *    of the process that makes it (a fresh child process per erasure, so the peak is its own),
 *    next to the same rows deleted by one hand-written `DELETE` on the same seed (baseline).
 *    The rows are seeded with one set-based `INSERT … SELECT` per database.
 * 2. The cost of `secure_delete` (R42) on the SQLite write paths, in one run: `receiveMessage`,
 *    `agents.add` + `agents.remove` and an erasure of 20,000 messages, each on a file with
 *    `secure_delete` on (as `openSqlite` opens it) and off, built the same way otherwise,
 *    interleaved three times; the fastest run of each side counts. Ratio = on / off.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, SqliteDialect } from 'kysely';
import { ok } from 'neverthrow';
import pg from 'pg';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import { migrateCxSchema } from '../../adapters/sql/migrations/cx-migrations.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createSqlStore } from '../../adapters/sql/store/sql-store.js';
import { cachingSqliteDatabase } from '../../adapters/sql/sqlite/sqlite-statement-cache.js';
import type { Store } from '../../src/ports/store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable } from '../sql/scratch-databases.js';

type Kind = 'sqlite' | 'postgres' | 'mysql';
const DOMAIN = 'acme';
const scriptPath = fileURLToPath(import.meta.url);
const mib = (bytes: number) => bytes / 1024 / 1024;

const options = (store: Store) => ({
  store,
  directory: memoryDirectory([
    { domainId: DOMAIN, id: 'u1', name: 'Kim', email: 'kim@acme.test' },
    { domainId: DOMAIN, id: 'u2', name: 'Lee', email: 'lee@acme.test' },
  ]),
  contactUrlBase: 'https://talk.example.com/add/',
});

async function openStore(kind: Kind, target: string) {
  if (kind === 'sqlite') return openSqlite(target);
  if (kind === 'postgres') return openPostgres({ connectionString: target });
  return openMysql({ uri: target });
}

/** The set-based insert of `count` messages of a customer, per database. */
function insertMessages(kind: Kind, count: number, key: string, customerId: string, first: number): string {
  const columns = 'account_key, domain_id, message_id, account_name, customer_id, customer_name, channel, sent_at, sender_kind, sender_id, sender_name, content, event_seq';
  const row = (i: string, concat: (...parts: string[]) => string) =>
    `'${key}', '${DOMAIN}', ${concat(`'${customerId}-'`, i)}, 'Help', '${customerId}', 'Customer ${customerId}', 'line', ${1_700_000_000_000} + (${i}) * 1000, 'customer', '${customerId}', 'Customer ${customerId}', ${concat(`'message '`, i, `' from a customer who asked to be forgotten'`)}, 0`;
  if (kind === 'postgres') {
    return `insert into cx_history (${columns}) select ${row('i', (...parts) => parts.map((part) => (part === 'i' ? 'i::text' : part)).join(' || '))} from generate_series(${first}, ${first + count - 1}) as i`;
  }
  if (kind === 'mysql') {
    return `insert into cx_history (${columns}) select ${row('seq', (...parts) => `concat(${parts.join(', ')})`)} from seq_${first}_to_${first + count - 1}`;
  }
  return `insert into cx_history (${columns}) with recursive s(i) as (select ${first} union all select i + 1 from s where i < ${first + count - 1}) select ${row('i', (...parts) => parts.join(' || '))} from s`;
}

/** A database with `acme`, its account `help`, customer `big` (N messages) and `other` (N/10). */
async function seed(kind: Kind, target: string, messages: number): Promise<void> {
  const store = await openStore(kind, target);
  const cx = createCxAccounts(options(store));
  (await cx.products.set(DOMAIN, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 5 }))._unsafeUnwrap();
  (await cx.accounts.create(DOMAIN, { productId: 'basic', id: 'help', name: 'Help', agentIds: ['u1'] }))._unsafeUnwrap();
  for (const customerId of ['big', 'other']) {
    (await cx.conversations.addContact(DOMAIN, 'help', { customerId, name: `Customer ${customerId}`, channel: 'line' }))._unsafeUnwrap();
  }
  const key = (await store.transaction(DOMAIN, 'read', async (tx) => ok((await tx.findAccount('help'))!.key)))._unsafeUnwrap();
  await store.close();
  const statements = [insertMessages(kind, messages, key, 'big', 1), insertMessages(kind, Math.max(1, Math.floor(messages / 10)), key, 'other', messages + 1)];
  if (kind === 'sqlite') {
    const database = new Database(target);
    for (const statement of statements) database.exec(statement);
    database.close();
  } else if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    for (const statement of statements) await client.query(statement);
    await client.query('vacuum analyze cx_history');
    await client.end();
  } else {
    const mysql = await import('mysql2/promise');
    const connection = await mysql.createConnection({ uri: target });
    for (const statement of statements) await connection.query(statement);
    await connection.query('analyze table cx_history');
    await connection.end();
  }
}

type Measured = { seconds: number; messages: number; rssBeforeMiB: number; peakRssMiB: number };

/** In a child: erases `big` through the library, or deletes its rows by hand (`baseline`). */
async function measure(kind: Kind, target: string, how: 'erase' | 'baseline'): Promise<Measured> {
  const store = await openStore(kind, target);
  const cx = createCxAccounts(options(store));
  // Warm the connection (and the store's statements) with a read.
  (await cx.events.read(DOMAIN))._unsafeUnwrap();
  const rssBeforeMiB = mib(process.memoryUsage().rss);
  const started = performance.now();
  let messages: number;
  if (how === 'erase') {
    messages = (await cx.customers.erase(DOMAIN, 'big'))._unsafeUnwrap().messages;
  } else {
    await store.close();
    messages = await deleteByHand(kind, target);
  }
  const seconds = (performance.now() - started) / 1000;
  if (how === 'erase') await store.close();
  return { seconds, messages, rssBeforeMiB, peakRssMiB: mib(process.resourceUsage().maxRSS * 1024) };
}

/** The baseline: the customer's messages and contact deleted by two hand-written statements in one transaction. */
async function deleteByHand(kind: Kind, target: string): Promise<number> {
  if (kind === 'sqlite') {
    const database = new Database(target);
    database.pragma('secure_delete = ON');
    const deleted = database.transaction(() => {
      const { changes } = database.prepare("delete from cx_history where domain_id = ? and customer_id = 'big'").run(DOMAIN);
      database.prepare("delete from cx_contacts where customer_id = 'big'").run();
      return changes;
    })();
    database.close();
    return deleted;
  }
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query('begin');
    const { rowCount } = await client.query("delete from cx_history where domain_id = $1 and customer_id = 'big'", [DOMAIN]);
    await client.query("delete from cx_contacts where customer_id = 'big'");
    await client.query('commit');
    await client.end();
    return rowCount ?? 0;
  }
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ uri: target });
  await connection.query('start transaction');
  const [result] = await connection.query("delete from cx_history where domain_id = ? and customer_id = 'big'", [DOMAIN]);
  await connection.query("delete from cx_contacts where customer_id = 'big'");
  await connection.query('commit');
  await connection.end();
  return (result as { affectedRows: number }).affectedRows;
}

function inChild<T>(args: string[]): T {
  const result = spawnSync(process.execPath, [...process.execArgv, scriptPath, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as T;
}

async function erasureBench(kind: Kind, messages: number): Promise<void> {
  const runs: Record<'erase' | 'baseline', Measured | null> = { erase: null, baseline: null };
  for (const how of ['erase', 'baseline'] as const) {
    let target: string;
    let drop = async () => {};
    if (kind === 'sqlite') {
      target = join(tmpdir(), `cx-bench-erase-${process.pid}-${how}.sqlite`);
      drop = async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
      };
      await drop();
    } else {
      const database = kind === 'postgres' ? await createPostgresDatabase() : await createMysqlDatabase();
      target = database.url;
      drop = database.drop;
    }
    try {
      const seedStarted = performance.now();
      inChild(['--seed', kind, target, String(messages)]);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      runs[how] = inChild<Measured>(['--measure', kind, target, how]);
      if (how === 'erase') console.log(`   ${kind}: seeded ${messages.toLocaleString('en')} + ${Math.floor(messages / 10).toLocaleString('en')} messages in ${seedSeconds.toFixed(1)} s`);
    } finally {
      await drop();
    }
  }
  const erase = runs.erase!;
  const baseline = runs.baseline!;
  if (erase.messages !== messages || baseline.messages !== messages) throw new Error(`${kind}: erased ${erase.messages}, baseline deleted ${baseline.messages}, expected ${messages}`);
  console.log(
    `   ${kind.padEnd(8)} erase ${erase.seconds.toFixed(2)} s (${Math.round(messages / erase.seconds).toLocaleString('en')} messages/s), RSS ${erase.rssBeforeMiB.toFixed(0)} → peak ${erase.peakRssMiB.toFixed(0)} MiB | hand-written DELETE ${baseline.seconds.toFixed(2)} s, peak ${baseline.peakRssMiB.toFixed(0)} MiB | ${(erase.seconds / baseline.seconds).toFixed(2)}× the time`,
  );
}

/** A store on a SQLite file built as `openSqlite` builds it, with `secure_delete` on or off. */
async function sqliteStore(file: string, secureDelete: boolean) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const database = new Database(file);
  database.pragma('busy_timeout = 5000');
  database.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  const db = new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: cachingSqliteDatabase(database) }) });
  (await migrateCxSchema(db))._unsafeUnwrap();
  return { store: createSqlStore(db, { dialect: 'sqlite' }), close: () => db.destroy() };
}

type WriteTimes = { receive: number; agents: number; erase: number };

/** Microseconds per receiveMessage, per agents add + remove pair, and seconds of a 20,000-message erasure. */
async function writePaths(secureDelete: boolean): Promise<WriteTimes> {
  const file = join(tmpdir(), `cx-bench-secure-${process.pid}-${secureDelete ? 'on' : 'off'}.sqlite`);
  const { store, close } = await sqliteStore(file, secureDelete);
  const cx = createCxAccounts(options(store));
  (await cx.products.set(DOMAIN, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 5 }))._unsafeUnwrap();
  (await cx.accounts.create(DOMAIN, { productId: 'basic', id: 'help', name: 'Help', agentIds: ['u1'] }))._unsafeUnwrap();
  (await cx.conversations.addContact(DOMAIN, 'help', { customerId: 'big', name: 'Big', channel: 'line' }))._unsafeUnwrap();
  const receives = 20_000;
  let started = performance.now();
  for (let index = 0; index < receives; index++) {
    (await cx.conversations.receiveMessage(DOMAIN, 'help', { customerId: 'big', content: `message ${index} with some words in it`, channel: 'line' }))._unsafeUnwrap();
  }
  const receive = ((performance.now() - started) * 1000) / receives;
  const pairs = 3_000;
  started = performance.now();
  for (let index = 0; index < pairs; index++) {
    (await cx.agents.add(DOMAIN, 'help', ['u2']))._unsafeUnwrap();
    (await cx.agents.remove(DOMAIN, 'help', 'u2'))._unsafeUnwrap();
  }
  const agents = ((performance.now() - started) * 1000) / pairs;
  started = performance.now();
  const erased = (await cx.customers.erase(DOMAIN, 'big'))._unsafeUnwrap();
  const erase = (performance.now() - started) / 1000;
  if (erased.messages !== receives) throw new Error(`erased ${erased.messages} of ${receives}`);
  await close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return { receive, agents, erase };
}

async function secureDeleteBench(): Promise<void> {
  const best = { on: { receive: Infinity, agents: Infinity, erase: Infinity }, off: { receive: Infinity, agents: Infinity, erase: Infinity } };
  for (let round = 0; round < 3; round++) {
    for (const side of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const times = await writePaths(side === 'on');
      for (const key of ['receive', 'agents', 'erase'] as const) best[side][key] = Math.min(best[side][key], times[key]);
    }
  }
  console.log('   SQLite write paths, secure_delete on vs off (fastest of three interleaved runs each):');
  console.log(`     receiveMessage            ${best.on.receive.toFixed(1)} µs vs ${best.off.receive.toFixed(1)} µs   ${(best.on.receive / best.off.receive).toFixed(2)}×`);
  console.log(`     agents.add + agents.remove ${best.on.agents.toFixed(1)} µs vs ${best.off.agents.toFixed(1)} µs   ${(best.on.agents / best.off.agents).toFixed(2)}×`);
  console.log(`     erase 20,000 messages     ${(best.on.erase * 1000).toFixed(0)} ms vs ${(best.off.erase * 1000).toFixed(0)} ms   ${(best.on.erase / best.off.erase).toFixed(2)}×`);
}

const args = process.argv.slice(2);
if (args[0] === '--seed') {
  await seed(args[1] as Kind, args[2]!, Number(args[3]));
  console.log(JSON.stringify({ seeded: true }));
} else if (args[0] === '--measure') {
  console.log(JSON.stringify(await measure(args[1] as Kind, args[2]!, args[3] as 'erase' | 'baseline')));
} else {
  const flag = args.indexOf('--messages');
  const messages = Number(flag >= 0 ? args[flag + 1] : (process.env.CX_BENCH_ERASE_MESSAGES ?? 1_000_000));
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : null;
  console.log(`customers.erase of one customer with ${messages.toLocaleString('en')} messages (R42)`);
  const kinds: Kind[] = ['sqlite'];
  if ((await postgresAvailable()) === true) kinds.push('postgres');
  else console.log('   PostgreSQL not reachable: skipped');
  if ((await mysqlAvailable()) === true) kinds.push('mysql');
  else console.log('   MariaDB not reachable: skipped');
  for (const kind of kinds) if (!only || only === kind) await erasureBench(kind, messages);
  if (!only || only === 'secure-delete') await secureDeleteBench();
}

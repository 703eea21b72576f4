/**
 * Benchmark (a) of issue 4: `agents.add` + `agents.remove` per second on the SQLite store,
 * against a hand-written better-sqlite3 transaction doing the same reads and writes, in the
 * same run. `npx tsx test/bench/sql-agents.bench.ts [--pairs 3000] [--file | --memory]`.
 *
 * Both sides run on a SQLite file in the temp directory (WAL, synchronous=NORMAL, as
 * `openSqlite` sets it; `--memory` for `:memory:`), on an account with 2 agents of a product
 * with 5 seats and no rooms, adding a third agent and removing it again. The hand-written side
 * issues the statements the store needs for these operations (same SQL, prepared once):
 *   add:    BEGIN IMMEDIATE; account row; product; the new member's active
 *           accounts (access, R17); INSERT agent; raise last_seq; INSERT event; UPDATE account
 *           (agent count, version); COMMIT
 *   remove: BEGIN IMMEDIATE; account row; the member's active accounts; the
 *           account's rooms (R36); DELETE agent; raise last_seq; INSERT event; product (for the
 *           answer's product name); UPDATE account; COMMIT
 * (both sides remember the agents by account version, so neither reads the agent rows in steady
 * state) and decodes the account row as the store must (settings JSON included) and encodes the
 * event's data. It does not validate input, ask the member directory, or build the public
 * view: that is the library's work, and it is what the ratio measures. Runs alternate, 5
 * rounds; the best round counts. Wall time and this process's CPU time are both reported: on
 * a busy machine the CPU time is the steadier measure (both sides run in this one process, on
 * one thread).
 *
 * Goal: the store's time per pair ≤ 1.5× the hand-written time.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { okAsync, type ResultAsync } from 'neverthrow';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { tracedGroup } from '../../src/telemetry/traced-group.js';
import { machineInfo } from '../sql/machine-info.js';
import { benchOption } from './bench-support.js';

const args = process.argv.slice(2);
const PAIRS = benchOption('pairs', 3000);
const ROUNDS = 5;
const inMemory = args.includes('--memory');

const file = (name: string) => (inMemory ? ':memory:' : join(tmpdir(), `cx-bench-${process.pid}-${name}.sqlite`));
const removeFile = (path: string) => {
  if (path !== ':memory:') for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
};

async function main() {
  console.log(machineInfo());
  console.log(`SQLite ${inMemory ? ':memory:' : 'file (WAL, synchronous=NORMAL)'}; ${PAIRS} add+remove pairs per round, ${ROUNDS} rounds`);

  // The store, through the public operations.
  const storeFile = file('store');
  removeFile(storeFile);
  const store = await openSqlite(storeFile);
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory(['u1', 'u2', 'u3'].map((id) => ({ domainId: 'acme', id, name: id, email: `${id}@acme.test` }))),
    contactUrlBase: 'https://talk.example.com/add/',
  });
  (await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 1 }))._unsafeUnwrap();
  (await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1', 'u2'] }))._unsafeUnwrap();
  const storePairs = async (count: number) => {
    for (let index = 0; index < count; index++) {
      (await cx.agents.add('acme', 'help', ['u3']))._unsafeUnwrap();
      (await cx.agents.remove('acme', 'help', 'u3'))._unsafeUnwrap();
    }
  };

  // The hand-written transaction, on a copy of the same schema and rows.
  const handFile = file('hand');
  removeFile(handFile);
  const seeded = await openSqlite(handFile);
  const seededCx = createCxAccounts({
    store: seeded,
    directory: memoryDirectory(['u1', 'u2', 'u3'].map((id) => ({ domainId: 'acme', id, name: id, email: `${id}@acme.test` }))),
    contactUrlBase: 'https://talk.example.com/add/',
  });
  (await seededCx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 1 }))._unsafeUnwrap();
  (await seededCx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1', 'u2'] }))._unsafeUnwrap();
  if (inMemory) throw new Error('--memory: the hand-written side needs the seeded file; use the default');
  await seeded.close();
  const db = new Database(handFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const begin = db.prepare('begin immediate');
  const commit = db.prepare('commit');
  const selectAccount = db.prepare('select * from "cx_accounts" where "active_id" = ? and "domain_id" = ?');
  const selectAgents = db.prepare('select "member_id", "position" from "cx_account_agents" where "account_key" = ? order by "position"');
  const selectProduct = db.prepare('select * from "cx_products" where "domain_id" = ? and "product_id" = ?');
  const selectAccessOfAgent = db.prepare(
    'select "account"."id" from "cx_account_agents" as "agent" inner join "cx_accounts" as "account" on "account"."key" = "agent"."account_key" ' +
      'where "agent"."member_id" = ? and "account"."active_domain_id" = ? order by "account"."activated_at", "account"."id"',
  );
  const selectRooms = db.prepare('select * from "cx_rooms" where "account_key" = ? order by "seq"');
  const insertAgent = db.prepare('insert into "cx_account_agents" ("account_key", "member_id", "position") values (?, ?, ?)');
  const deleteAgent = db.prepare('delete from "cx_account_agents" where "account_key" = ? and "member_id" in (?)');
  const advanceLastSeq = db.prepare(
    'insert into "cx_domains" ("domain_id", "last_seq") values (?, ?) on conflict ("domain_id") do update set "last_seq" = cx_domains.last_seq + excluded.last_seq returning "last_seq"',
  );
  const insertEvent = db.prepare(
    'insert into "cx_events" ("domain_id", "seq", "type", "account_id", "account_uid", "at", "actor", "data") values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const updateAccount = db.prepare('update "cx_accounts" set "agent_count" = ?, "version" = ? where "key" = ? and "domain_id" = ? and "active_id" is not null');
  type Row = Record<string, any>;
  // The store remembers an account's agents by its version (account-agent-memo.ts), so in
  // steady state it reads no agent rows; this side keeps them by version as well, read once.
  let knownAgents: { version: number; ids: string[] } | null = null;
  /** The account row and its agents, decoded as the store must (settings JSON included). */
  const readAccount = () => {
    const account = selectAccount.get('help', 'acme') as Row;
    const settings = JSON.parse(account.settings);
    if (knownAgents?.version !== account.version) {
      knownAgents = { version: account.version, ids: (selectAgents.all(account.key) as Row[]).map((agent) => agent.member_id as string) };
    }
    return { account, settings, agents: knownAgents!.ids };
  };
  const appendEvent = (account: Row, type: string, data: object) => {
    const { last_seq: seq } = advanceLastSeq.get('acme', 1) as Row;
    insertEvent.run('acme', seq, type, account.id, account.key, Date.now(), null, JSON.stringify(data));
  };
  const handPairs = (count: number) => {
    for (let index = 0; index < count; index++) {
      begin.run();
      let { account, agents } = readAccount();
      if (!(selectProduct.get('acme', account.product_id) as Row | undefined)) throw new Error('no product');
      const gainedAccessIds = selectAccessOfAgent.all('u3', 'acme').length === 0 ? ['u3'] : [];
      const position = agents.length; // positions are 0, 1, … here: the store reads the last one
      insertAgent.run(account.key, 'u3', position);
      appendEvent(account, 'agents.added', { memberIds: ['u3'], gainedAccessIds });
      updateAccount.run(agents.length + 1, account.version + 1, account.key, 'acme');
      commit.run();
      knownAgents = { version: account.version + 1, ids: [...agents, 'u3'] };

      begin.run();
      ({ account, agents } = readAccount());
      const lostAccessIds = (selectAccessOfAgent.all('u3', 'acme') as Row[]).every((row) => row.id === account.id) ? ['u3'] : [];
      const roomIds = (selectRooms.all(account.key) as Row[]).map((room) => room.room_id as string);
      deleteAgent.run(account.key, 'u3');
      appendEvent(account, 'agents.removed', { memberIds: ['u3'], roomIds, lostAccessIds });
      if (!(selectProduct.get('acme', account.product_id) as Row | undefined)) throw new Error('no product');
      updateAccount.run(agents.length - 1, account.version + 1, account.key, 'acme');
      commit.run();
      knownAgents = { version: account.version + 1, ids: agents.filter((id) => id !== 'u3') };
    }
  };

  // Warm up both, then alternate rounds.
  await storePairs(300);
  handPairs(300);
  const best = { store: { wall: Infinity, cpu: Infinity }, hand: { wall: Infinity, cpu: Infinity } };
  const measure = async (side: 'store' | 'hand', run: () => unknown) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    best[side].wall = Math.min(best[side].wall, wall);
    best[side].cpu = Math.min(best[side].cpu, (used.user + used.system) / 1000);
  };
  for (let round = 0; round < ROUNDS; round++) {
    await measure('store', () => storePairs(PAIRS));
    await measure('hand', () => handPairs(PAIRS));
  }
  const perPair = (ms: number) => `${((ms / PAIRS) * 1000).toFixed(1)} µs per pair`;
  const wallRatio = best.store.wall / best.hand.wall;
  const cpuRatio = best.store.cpu / best.hand.cpu;
  console.log(`store (cx.agents.add + cx.agents.remove): ${((PAIRS / best.store.wall) * 1000).toFixed(0)} pairs/s (wall ${perPair(best.store.wall)}, CPU ${perPair(best.store.cpu)})`);
  console.log(`hand-written better-sqlite3:              ${((PAIRS / best.hand.wall) * 1000).toFixed(0)} pairs/s (wall ${perPair(best.hand.wall)}, CPU ${perPair(best.hand.cpu)})`);
  console.log(`ratio store/hand-written: wall ${wallRatio.toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}× (goal ≤ 1.5×) ${wallRatio <= 1.5 ? 'MET' : 'NOT MET'}`);

  // Telemetry with no tracer provider registered (as here): what the span wrapper of every
  // operation costs, measured on an operation that does nothing, against the same operation
  // unwrapped; then as a share of one store operation above.
  const nothing = { op: () => okAsync(1) };
  const traced = tracedGroup('bench', nothing);
  const CALLS = 200_000;
  const timeCalls = async (call: () => ResultAsync<number, never>) => {
    const start = performance.now();
    for (let index = 0; index < CALLS; index++) await call();
    return ((performance.now() - start) / CALLS) * 1000;
  };
  let plain = Infinity;
  let wrapped = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    plain = Math.min(plain, await timeCalls(() => nothing.op()));
    wrapped = Math.min(wrapped, await timeCalls(() => traced.op()));
  }
  const overhead = Math.max(0, wrapped - plain);
  const perOperation = (best.store.wall / PAIRS / 2) * 1000;
  console.log(
    `telemetry, no provider registered: ${overhead.toFixed(3)} µs per call over an empty operation (${plain.toFixed(3)} → ${wrapped.toFixed(3)} µs), ` +
      `${((overhead / perOperation) * 100).toFixed(2)} % of one store operation (${perOperation.toFixed(1)} µs)`,
  );
  console.log(machineInfo());

  await store.close();
  db.close();
  removeFile(storeFile);
  removeFile(handFile);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * Benchmark (a) of issue 4: `agents.add` + `agents.remove` per second on the SQLite store,
 * against a hand-written better-sqlite3 transaction doing the same reads and writes, in the
 * same run. `npx tsx test/bench/sql-agents.bench.ts [--pairs 3000] [--file | --memory]`.
 *
 * Both sides run on a SQLite file in the temp directory (WAL, synchronous=NORMAL, as
 * `openSqlite` sets it; `--memory` for `:memory:`), on an account with 2 agents of a product
 * with 5 seats, adding a third agent and removing it again. The hand-written side issues the
 * statements the store issues for these operations (same SQL, prepared once):
 *   add:    BEGIN IMMEDIATE; account row; its agents; product; UPDATE account; INSERT agent; COMMIT
 *   remove: BEGIN IMMEDIATE; account row; its agents; product; UPDATE account; DELETE agent;
 *           DELETE the agent from rooms; COMMIT
 * and decodes the rows into records (settings JSON included) as the store must. It does not
 * validate input, ask the member directory, or build the public view: that is the library's
 * work, and it is what the ratio measures. Runs alternate, 5 rounds; the best round counts.
 * Wall time and this process's CPU time are both reported: on a busy machine the CPU time
 * is the steadier measure (both sides run in this one process, on one thread).
 *
 * Goal: the store's time per pair ≤ 1.5× the hand-written time.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { machineInfo } from '../sql/machine-info.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const PAIRS = option('pairs', 3000);
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
  const updateAccount = db.prepare(
    'update "cx_accounts" set "name" = ?, "name_key" = ?, "active_id" = ?, "active_domain_id" = ?, "active_name_hash" = ?, "description" = ?, ' +
      '"image_file_name" = ?, "image_byte_length" = ?, "image_width" = ?, "image_height" = ?, "product_id" = ?, "agent_count" = ?, ' +
      '"reset_at" = ?, "version" = ?, "settings" = ? where "key" = ? and "domain_id" = ?',
  );
  const insertAgent = db.prepare('insert into "cx_account_agents" ("account_key", "member_id", "position") values (?, ?, ?)');
  const deleteAgent = db.prepare('delete from "cx_account_agents" where "account_key" = ? and "member_id" in (?)');
  const deleteRoomAgent = db.prepare('delete from "cx_room_agents" where "account_key" = ? and "member_id" = ?');
  type Row = Record<string, any>;
  const change = (account: Row, agents: string[], nextPosition: () => number, write: () => void) => {
    const settings = JSON.parse(account.settings);
    if (!(selectProduct.get('acme', account.product_id) as Row | undefined)) throw new Error('no product');
    updateAccount.run(
      account.name, account.name_key, account.id, account.domain_id,
      createHash('sha256').update(account.name_key).digest('hex'),
      account.description, account.image_file_name, account.image_byte_length, account.image_width, account.image_height,
      account.product_id, agents.length, null, account.version + 1, JSON.stringify(settings), account.key, 'acme',
    );
    void nextPosition;
    write();
  };
  const handPairs = (count: number) => {
    for (let index = 0; index < count; index++) {
      begin.run();
      let account = selectAccount.get('help', 'acme') as Row;
      let agents = selectAgents.all(account.key) as Row[];
      const position = (agents.at(-1)?.position ?? -1) + 1;
      change(account, [...agents.map((agent) => agent.member_id), 'u3'], () => position, () => insertAgent.run(account.key, 'u3', position));
      commit.run();
      begin.run();
      account = selectAccount.get('help', 'acme') as Row;
      agents = selectAgents.all(account.key) as Row[];
      change(account, agents.map((agent) => agent.member_id).filter((id) => id !== 'u3'), () => 0, () => {
        deleteAgent.run(account.key, 'u3');
        deleteRoomAgent.run(account.key, 'u3');
      });
      commit.run();
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

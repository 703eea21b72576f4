/**
 * Benchmark (c) of issue 4: mixed writes through the PostgreSQL store with 16 concurrent
 * clients (pool of 16), operations per second, next to `pgbench -c 16 -T 10` (TPC-B) TPS on
 * the same server in the same run. `npx tsx test/bench/sql-pg-mixed.bench.ts [--seconds 10]`.
 *
 * The store side: 8 domains × 20 accounts (3 agents of 5 seats each, 5 contacts each); each
 * client loops over random write operations on a random account:
 *   30 % conversations.receiveMessage (history insert, maybe an away reply and contact update)
 *   20 % agents.add then agents.remove (two operations)
 *   15 % accounts.update (description)
 *   15 % settings.update (welcome message)
 *   10 % conversations.addContact
 *   10 % accounts.changeProduct (between two products)
 * Each is one serialised write transaction on its domain (row lock), as in production.
 *
 * pgbench: a scratch database initialised with `pgbench -i` (scale 1), then
 * `pgbench -c 16 -j 2 -T <seconds>`. Both sides run one after the other, not together.
 *
 * Goal: store operations/s ≥ 30 % of pgbench's TPS.
 */
import { spawnSync } from 'node:child_process';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import { machineInfo } from '../sql/machine-info.js';
import { createPostgresDatabase, postgresAvailable, POSTGRES_URL } from '../sql/scratch-databases.js';
import { benchOption } from './bench-support.js';

const SECONDS = benchOption('seconds', 10);
const CLIENTS = 16;
const DOMAINS = Array.from({ length: 8 }, (_, index) => `d${index}`);
const ACCOUNTS_PER_DOMAIN = 20;
const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5'];
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4', 'c5'];

function runPgbench(url: string): number {
  const parsed = new URL(url);
  const common = ['-h', parsed.hostname, '-p', parsed.port || '5432', '-U', decodeURIComponent(parsed.username || 'postgres')];
  const database = parsed.pathname.slice(1);
  const init = spawnSync('pgbench', [...common, '-i', '-q', database], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr || init.error}`);
  const run = spawnSync('pgbench', [...common, '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), database], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr || run.error}`);
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout);
  if (!match) throw new Error(`no TPS in pgbench output:\n${run.stdout}`);
  return Number(match[1]);
}

async function seed(cx: CxAccounts) {
  for (const domainId of DOMAINS) {
    (await cx.products.set(domainId, { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 100 }))._unsafeUnwrap();
    (await cx.products.set(domainId, { productId: 'plus', name: 'Plus', seatLimit: 5, quantity: 100 }))._unsafeUnwrap();
    for (let index = 0; index < ACCOUNTS_PER_DOMAIN; index++) {
      const id = `${domainId}a${index}`;
      (await cx.accounts.create(domainId, { productId: 'basic', name: `Desk ${index}`, id, agentIds: ['m1', 'm2', 'm3'] }))._unsafeUnwrap();
      (await cx.settings.update(domainId, id, { awayMessage: 'We are away', weeklyHours: { sat: [], sun: [] } }))._unsafeUnwrap();
      for (const customerId of CUSTOMERS) {
        (await cx.conversations.addContact(domainId, id, { customerId, name: `Customer ${customerId}`, channel: 'line' }))._unsafeUnwrap();
      }
    }
  }
}

async function mixedWrites(cx: CxAccounts): Promise<{ operations: number; failures: Map<string, number> }> {
  const deadline = performance.now() + SECONDS * 1000;
  let operations = 0;
  const failures = new Map<string, number>();
  const check = (label: string, result: { isOk(): boolean; error?: unknown } & { isErr(): boolean }) => {
    operations += 1;
    if (result.isErr()) {
      const code = (result as unknown as { error: { code: string } }).error.code;
      failures.set(`${label}:${code}`, (failures.get(`${label}:${code}`) ?? 0) + 1);
    }
  };
  const client = async (seed: number) => {
    let state = seed;
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    while (performance.now() < deadline) {
      const domainId = pick(DOMAINS);
      const accountId = `${domainId}a${Math.floor(next() * ACCOUNTS_PER_DOMAIN)}`;
      const roll = next();
      if (roll < 0.3) {
        check('receive', await cx.conversations.receiveMessage(domainId, accountId, { customerId: pick(CUSTOMERS), content: `hello ${operations}`, channel: 'line' }));
      } else if (roll < 0.5) {
        const member = pick(['m4', 'm5']);
        check('add', await cx.agents.add(domainId, accountId, [member]));
        check('remove', await cx.agents.remove(domainId, accountId, member));
      } else if (roll < 0.65) {
        check('update', await cx.accounts.update(domainId, accountId, { description: `updated ${operations}` }));
      } else if (roll < 0.8) {
        check('settings', await cx.settings.update(domainId, accountId, { welcomeMessage: `Welcome ${operations}` }));
      } else if (roll < 0.9) {
        check('contact', await cx.conversations.addContact(domainId, accountId, { customerId: pick(CUSTOMERS), name: 'Customer', channel: 'line' }));
      } else {
        check('product', await cx.accounts.changeProduct(domainId, accountId, pick(['basic', 'plus'])));
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index + 1)));
  return { operations, failures };
}

async function main() {
  console.log(machineInfo());
  const available = await postgresAvailable();
  if (available !== true) {
    console.log(`skipped: ${available}`);
    return;
  }
  const storeDatabase = await createPostgresDatabase();
  const pgbenchDatabase = await createPostgresDatabase();
  try {
    const store = await openPostgres({ connectionString: storeDatabase.url, poolSize: CLIENTS });
    const cx = createCxAccounts({
      store,
      directory: memoryDirectory(DOMAINS.flatMap((domainId) => MEMBERS.map((id) => ({ domainId, id, name: id, email: `${id}@${domainId}.test` })))),
      contactUrlBase: 'https://talk.example.com/add/',
      timeZone: 'Asia/Seoul',
    });
    await seed(cx);
    // Warm up the pool and the JIT.
    const warm = performance.now();
    while (performance.now() - warm < 1000) (await cx.agents.access(DOMAINS[0]!, 'm1'))._unsafeUnwrap();

    const start = performance.now();
    const { operations, failures } = await mixedWrites(cx);
    const seconds = (performance.now() - start) / 1000;
    const storeRate = operations / seconds;
    await store.close();

    const tps = runPgbench(pgbenchDatabase.url);
    const share = storeRate / tps;
    console.log(
      `PostgreSQL store, mixed writes, ${CLIENTS} clients over ${DOMAINS.length} domains × ${ACCOUNTS_PER_DOMAIN} accounts: ` +
        `${operations} operations in ${seconds.toFixed(1)} s = ${storeRate.toFixed(0)} ops/s` +
        (failures.size ? ` (refused: ${[...failures].map(([label, n]) => `${label}=${n}`).join(' ')})` : ''),
    );
    console.log(`pgbench -c ${CLIENTS} -j 2 -T ${SECONDS} (TPC-B, scale 1) on ${new URL(POSTGRES_URL).host}: ${tps.toFixed(0)} TPS`);
    console.log(`store/pgbench: ${(share * 100).toFixed(0)} % (goal ≥ 30 %) ${share >= 0.3 ? 'MET' : 'NOT MET'}`);
  } finally {
    await storeDatabase.drop();
    await pgbenchDatabase.drop();
  }
  console.log(machineInfo());
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * Concurrency stress (R28) on the PostgreSQL and MariaDB servers: a pool of 16 connections,
 * 24 workers, 5,000+ random operations through the real operations — creates with colliding
 * IDs and names, agent adds and removes, product changes, resets, product quantity and seat
 * limit changes — then every invariant is checked by reading the tables directly.
 */
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import { checkAvailable, createMysqlDatabase, createPostgresDatabase, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';

const POOL_SIZE = 16;
const WORKERS = 24;
const OPERATIONS = 5_000;
/**
 * The stress is sized to a time budget (R28 holds however many operations ran): it stops at
 * OPERATIONS or when the budget is spent, whichever comes first, but never before
 * MIN_OPERATIONS, enough to reach every race path. A loaded machine does fewer, and says so.
 */
const BUDGET_MS = Number(process.env.CX_STRESS_BUDGET_MS ?? 40_000);
const MIN_OPERATIONS = 1_500;
const DOMAINS = ['d0', 'd1', 'd2', 'd3'];
const MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];
// Few IDs, shared by every domain, and names that collide after NFKC + lower-casing.
const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const NAMES = ['Help', 'HELP', 'ｈｅｌｐ', 'Sales', 'SALES', 'Desk', 'Support', '상담', 'Ｄｅｓｋ'];
const PRODUCTS = ['basic', 'pro'];

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], count: number): T[] => [...items].sort(() => next() - 0.5).slice(0, count);
  return { next, pick, some, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

type Rng = ReturnType<typeof random>;

/** Account IDs believed active per domain (from answers seen), so most operations hit an account. */
type Known = Map<string, Set<string>>;

/** One random operation; answers `'<op>:<ok | error code>'`, `(race)` when the database's unique index decided. */
async function randomOperation(cx: CxAccounts, rng: Rng, known: Known): Promise<string> {
  const domainId = rng.pick(DOMAINS);
  const active = [...(known.get(domainId) ?? [])];
  const target = () => (active.length > 0 && rng.next() < 0.8 ? rng.pick(active) : rng.pick(IDS));
  const roll = rng.next();
  let op: string;
  let result;
  if (roll < 0.25) {
    op = 'create';
    const created = await cx.accounts.create(domainId, {
      productId: rng.pick(PRODUCTS),
      id: rng.pick(IDS),
      name: rng.pick(NAMES),
      agentIds: rng.some(MEMBERS, rng.int(1, 4)),
    });
    if (created.isOk()) known.set(domainId, (known.get(domainId) ?? new Set()).add(created.value.id));
    result = created;
  } else if (roll < 0.45) {
    op = 'add';
    result = await cx.agents.add(domainId, target(), rng.some(MEMBERS, rng.int(1, 2)));
  } else if (roll < 0.65) {
    op = 'remove';
    result = await cx.agents.remove(domainId, target(), rng.pick(MEMBERS));
  } else if (roll < 0.75) {
    op = 'changeProduct';
    result = await cx.accounts.changeProduct(domainId, target(), rng.pick(PRODUCTS));
  } else if (roll < 0.83) {
    op = 'reset';
    const id = target();
    result = await cx.accounts.reset(domainId, id);
    if (result.isOk()) known.get(domainId)?.delete(id);
  } else if (roll < 0.93) {
    op = 'setProduct';
    const productId = rng.pick(PRODUCTS);
    result = await cx.products.set(domainId, {
      productId,
      name: productId,
      seatLimit: productId === 'basic' ? rng.int(2, 4) : rng.int(3, 6),
      quantity: rng.int(1, 6),
    });
  } else {
    op = 'rename';
    result = await cx.accounts.update(domainId, target(), { name: rng.pick(NAMES) });
  }
  if (result.isOk()) return `${op}:ok`;
  return `${op}:${result.error.code}${result.error.message.includes('another call took it first') ? '(race)' : ''}`;
}

/** Every invariant of R3–R6, R15–R17, read straight from the tables. */
async function invariantViolations(db: Kysely<CxDatabase>): Promise<string[]> {
  const found: string[] = [];
  const active = await db
    .selectFrom('cx_accounts')
    .select(['key', 'domain_id', 'id', 'name_key', 'product_id', 'agent_count', 'active_id', 'active_domain_id'])
    .where('reset_at', 'is', null)
    .execute();
  const agents = await db.selectFrom('cx_account_agents').select(['account_key', 'member_id']).execute();
  const products = await db.selectFrom('cx_products').selectAll().execute();
  const productOf = new Map(products.map((product) => [`${product.domain_id}/${product.product_id}`, product]));
  const agentsOf = new Map<string, string[]>();
  for (const agent of agents) agentsOf.set(agent.account_key, [...(agentsOf.get(agent.account_key) ?? []), agent.member_id]);

  const ids = new Set<string>();
  const names = new Set<string>();
  const inUse = new Map<string, number>();
  for (const account of active) {
    const where = `${account.domain_id}/${account.id}`;
    const list = agentsOf.get(account.key) ?? [];
    const product = productOf.get(`${account.domain_id}/${account.product_id}`);
    if (!product) found.push(`${where}: product ${account.product_id} missing`);
    else if (list.length > Number(product.seat_limit)) found.push(`${where}: ${list.length} agents over seat limit ${product.seat_limit}`);
    if (list.length < 1) found.push(`${where}: no agent`);
    if (Number(account.agent_count) !== list.length) found.push(`${where}: agent_count ${account.agent_count} but ${list.length} agents`);
    if (list.some((member) => !MEMBERS.includes(member))) found.push(`${where}: unknown agent`);
    if (ids.has(account.id)) found.push(`${account.id}: active twice`);
    ids.add(account.id);
    if (names.has(`${account.domain_id}/${account.name_key}`)) found.push(`${where}: name ${account.name_key} twice`);
    names.add(`${account.domain_id}/${account.name_key}`);
    if (account.active_id !== account.id || account.active_domain_id !== account.domain_id) found.push(`${where}: active columns out of step`);
    const productKey = `${account.domain_id}/${account.product_id}`;
    inUse.set(productKey, (inUse.get(productKey) ?? 0) + 1);
  }
  for (const [productKey, used] of inUse) {
    const product = productOf.get(productKey);
    if (product && used > Number(product.quantity)) found.push(`${productKey}: ${used} accounts over quantity ${product.quantity}`);
  }
  const resetStillActive = await db
    .selectFrom('cx_accounts')
    .select('id')
    .where('reset_at', 'is not', null)
    .where((eb) => eb.or([eb('active_id', 'is not', null), eb('active_domain_id', 'is not', null), eb('active_name_hash', 'is not', null)]))
    .execute();
  for (const account of resetStillActive) found.push(`${account.id}: reset but still marked active`);
  // R30: every domain's events are numbered 1..N with no gap, and last_seq is N.
  const events = await db.selectFrom('cx_events').select(['domain_id', 'seq']).orderBy('domain_id').orderBy('seq').execute();
  const seqsOf = new Map<string, number[]>();
  for (const event of events) seqsOf.set(event.domain_id, [...(seqsOf.get(event.domain_id) ?? []), Number(event.seq)]);
  for (const domain of await db.selectFrom('cx_domains').select(['domain_id', 'last_seq']).execute()) {
    const seqs = seqsOf.get(domain.domain_id) ?? [];
    if (seqs.some((seq, index) => seq !== index + 1)) found.push(`${domain.domain_id}: event seq has a gap or a repeat`);
    if (Number(domain.last_seq) !== seqs.length) found.push(`${domain.domain_id}: last_seq ${domain.last_seq} but ${seqs.length} events`);
  }
  return found;
}

type Server = {
  name: string;
  available: boolean;
  create: () => Promise<{ url: string; drop: () => Promise<void> }>;
  open: (url: string) => Promise<ClosableStore>;
  inspect: (url: string) => Kysely<CxDatabase>;
  connections: (db: Kysely<CxDatabase>) => Promise<number>;
};

const servers: Server[] = [
  {
    name: 'PostgreSQL',
    available: await checkAvailable(postgresFactory),
    create: () => createPostgresDatabase(),
    open: (url) => openPostgres({ connectionString: url, poolSize: POOL_SIZE }),
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) }),
    connections: async (db) =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(db))
          .rows[0]!.n,
      ),
  },
  {
    name: 'MariaDB',
    available: await checkAvailable(mysqlFactory),
    create: () => createMysqlDatabase(),
    open: (url) => openMysql({ uri: url, poolSize: POOL_SIZE }),
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new MysqlDialect({ pool: createPool({ uri: url, connectionLimit: 1 }) }) }),
    connections: async (db) =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from information_schema.processlist where db = database() and id <> connection_id()`.execute(db))
          .rows[0]!.n,
      ),
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

describe('R28 concurrency stress on the real servers', () => {
  for (const server of servers) {
    it.skipIf(!server.available)(
      `${server.name}: up to ${OPERATIONS} random operations (a time budget) from ${WORKERS} workers on ${POOL_SIZE} connections keep every invariant`,
      async () => {
        const database = await server.create();
        cleanups.push(database.drop);
        const store = await server.open(database.url);
        cleanups.push(() => store.close());
        const inspector = server.inspect(database.url);
        cleanups.push(() => inspector.destroy());
        const cx = createCxAccounts({
          store,
          directory: memoryDirectory(DOMAINS.flatMap((domainId) => MEMBERS.map((id) => ({ domainId, id, name: id, email: `${id}@${domainId}.test` })))),
          contactUrlBase: 'https://talk.example.com/add/',
        });
        for (const domainId of DOMAINS) {
          (await cx.products.set(domainId, { productId: 'basic', name: 'basic', seatLimit: 3, quantity: 4 }))._unsafeUnwrap();
          (await cx.products.set(domainId, { productId: 'pro', name: 'pro', seatLimit: 5, quantity: 3 }))._unsafeUnwrap();
        }

        const seed = Number(process.env.CX_STRESS_SEED ?? Date.now() % 1_000_000);
        const counts = new Map<string, number>();
        const known: Known = new Map();
        let started = 0;
        let maxConnections = 0;
        const begin = performance.now();
        const worker = async (index: number) => {
          const rng = random(seed * 100 + index);
          while (started < OPERATIONS && (started < MIN_OPERATIONS || performance.now() - begin < BUDGET_MS)) {
            started += 1;
            const label = await randomOperation(cx, rng, known);
            counts.set(label, (counts.get(label) ?? 0) + 1);
          }
        };
        const sampler = setInterval(() => {
          server.connections(inspector).then((n) => (maxConnections = Math.max(maxConnections, n)), () => undefined);
        }, 200);
        try {
          await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
        } finally {
          clearInterval(sampler);
        }
        const seconds = (performance.now() - begin) / 1000;
        const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
        const failures = [...counts].filter(([label]) => label.includes(':store_failure'));
        const violations = await invariantViolations(inspector);
        const summary = [...counts].sort().map(([label, n]) => `${label}=${n}`).join(' ');
        console.log(
          `[cx-accounts stress] ${server.name}: ${total} operations (budget ${BUDGET_MS / 1000} s, at least ${MIN_OPERATIONS}) in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} ops/s), ` +
            `${WORKERS} workers, pool ${POOL_SIZE}, up to ${maxConnections} server connections seen, seed ${seed}; ` +
            `violations: ${violations.length}\n  ${summary}`,
        );
        expect(total).toBeGreaterThanOrEqual(MIN_OPERATIONS);
        expect(violations).toEqual([]);
        expect(failures).toEqual([]);
        // The race paths were exercised, not only the happy ones.
        for (const label of ['create:ok', 'create:id_taken', 'create:name_taken', 'create:product_unavailable', 'add:seat_limit_exceeded', 'remove:last_agent', 'reset:ok']) {
          expect(counts.get(label) ?? 0, label).toBeGreaterThan(0);
        }
        expect(maxConnections).toBeGreaterThanOrEqual(POOL_SIZE);
      },
      // Waiting on a loaded machine is legitimate: the budget bounds the work, this only a hang.
      600_000,
    );
  }
});

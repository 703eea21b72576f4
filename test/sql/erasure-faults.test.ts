/**
 * R42 R27 under fire (issue 19), on the PostgreSQL and MariaDB servers:
 *
 * - Connections terminated: workers start backups, run them, erase customers and record
 *   messages while a killer terminates the store's server connections every few
 *   milliseconds. Then, the killer stopped, every job is run to its end.
 * - A runner process frozen (SIGSTOP) with chunks written, while a customer is erased, or its
 *   job is taken over for being silent; then resumed (SIGCONT) and killed (SIGKILL) right after
 *   its next chunk write.
 *
 * Afterwards the tables are read directly: no row of an erased customer is left anywhere; every
 * chunk belongs to the current attempt of a job that still exists; a chunk holding an erased
 * customer's words belongs only to a job that was `ready` before the erasure committed (R42
 * lets those keep their file until they expire); and once retention deleted every job, no
 * chunk at all remains. The work is sized by counts, never by time.
 */
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import type { Result } from 'neverthrow';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { CxError } from '../../src/errors.js';
import type { CxEvent } from '../../src/events/cx-event.js';
import { checkAvailable, createMysqlDatabase, createPostgresDatabase, MYSQL_URL, mysqlFactory, POSTGRES_URL, postgresFactory } from '../stores/sql-stores.js';
import { runScript } from './support/child-process.js';

const CUSTOMERS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];
/** Customers erased during the run (the others stay). */
const ERASED = ['c1', 'c3', 'c4'];
const MESSAGES_PER_CUSTOMER = 25;
const OPERATIONS = 120;
const WORKERS = 4;
const DAY = 86_400_000;
const MINUTE = 60_000;

const nameOf = (customerId: string) => `Name-${customerId}-zq`;
const wordOf = (customerId: string, index: number | string) => `word-${customerId}-zq-${index}`;

type Server = {
  name: string;
  kind: 'postgres' | 'mysql';
  available: boolean;
  create: () => Promise<{ url: string; drop: () => Promise<void> }>;
  open: (url: string) => Promise<ClosableStore>;
  inspect: (url: string) => Kysely<CxDatabase>;
  killer: (database: string) => Promise<{ killOne: () => Promise<number>; end: () => Promise<void> }>;
};

const servers: Server[] = [
  {
    name: 'PostgreSQL',
    kind: 'postgres',
    available: await checkAvailable(postgresFactory),
    create: () => createPostgresDatabase(),
    open: (url) => openPostgres({ connectionString: url, poolSize: 4 }),
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) }),
    killer: async (database) => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      admin.on('error', () => undefined);
      await admin.connect();
      const query = `select pg_terminate_backend(pid) as done from (
          select pid from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
          order by random() limit 1) chosen`;
      return {
        killOne: async () => (await admin.query<{ done: boolean }>(query, [database])).rows.filter((row) => row.done).length,
        end: () => admin.end(),
      };
    },
  },
  {
    name: 'MariaDB',
    kind: 'mysql',
    available: await checkAvailable(mysqlFactory),
    create: () => createMysqlDatabase(),
    open: (url) => openMysql({ uri: url, poolSize: 4 }),
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new MysqlDialect({ pool: createPool({ uri: url, connectionLimit: 1 }) }) }),
    killer: async (database) => {
      const mysql = await import('mysql2/promise');
      const admin = await mysql.createConnection({ uri: MYSQL_URL });
      return {
        killOne: async () => {
          const [rows] = await admin.query(
            `select id from information_schema.processlist where db = ? and id <> connection_id() and command <> 'Daemon' order by rand() limit 1`,
            [database],
          );
          const id = (rows as { id: number }[])[0]?.id;
          if (id === undefined) return 0;
          try {
            await admin.query(`kill connection ${Number(id)}`);
            return 1;
          } catch {
            return 0;
          }
        },
        end: () => admin.end(),
      };
    },
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a call (a pool may still hand out a dying connection) until it answers ok. */
async function settle<T, E extends CxError>(call: () => PromiseLike<Result<T, E>>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const result = await call();
    if (result.isOk() || attempt >= 5) return result._unsafeUnwrap();
    await sleep(50);
  }
}

/** `cx` on a store with a clock the test moves, `acme` with `help` and the customers' messages. */
async function seeded(store: ClosableStore) {
  let offset = 0;
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
    clock: () => new Date(Date.now() + offset),
    backups: { runner: 'manual', pageSize: 7, chunkBytes: 300, staleAfterMs: MINUTE, retentionDays: 7 },
  });
  await settle(() => cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 3 }));
  await settle(() => cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] }));
  for (const customerId of CUSTOMERS) {
    await settle(() => cx.conversations.addContact('acme', 'help', { customerId, name: nameOf(customerId), channel: 'line' }));
    for (let index = 0; index < MESSAGES_PER_CUSTOMER; index++) {
      await settle(() =>
        cx.conversations.receiveMessage('acme', 'help', { customerId, content: wordOf(customerId, index), channel: 'line', messageId: `${customerId}-${index}` }),
      );
    }
  }
  return { cx, advance: (ms: number) => (offset += ms) };
}

async function allEvents(cx: CxAccounts): Promise<CxEvent[]> {
  const events: CxEvent[] = [];
  for (;;) {
    const page = await settle(() => cx.events.read('acme', { after: events.at(-1)?.seq ?? 0, limit: 1000 }));
    if (page.events.length === 0) return events;
    events.push(...page.events);
  }
}

/** Runs every job to its end: pending ones, and running ones left by a stopped runner (the clock moves past their heartbeat). */
async function finishEveryJob(cx: CxAccounts, advance: (ms: number) => void, inspect: Kysely<CxDatabase>) {
  for (let round = 0; round < 20; round++) {
    const open = await inspect.selectFrom('cx_backup_jobs').select('job_id').where('status', 'in', ['pending', 'running']).execute();
    if (open.length === 0) return;
    advance(2 * MINUTE);
    await settle(() => cx.history.runPendingBackups());
  }
  throw new Error('jobs still unfinished after 20 passes');
}

/**
 * Reads the tables directly: no row of an erased customer; every chunk belongs to the current
 * attempt of an existing job; erased words only in files of jobs ready before that erasure.
 */
async function checkLeftovers(inspect: Kysely<CxDatabase>, cx: CxAccounts, erased: readonly string[]) {
  for (const table of erased.length === 0 ? [] : (['cx_history', 'cx_contacts', 'cx_rooms', 'cx_receipts'] as const)) {
    const rows = await inspect.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('customer_id', 'in', [...erased]).executeTakeFirstOrThrow();
    expect(Number(rows.n), `${table} rows of erased customers`).toBe(0);
  }
  const events = await allEvents(cx);
  const erasedAt = new Map<string, number>();
  for (const event of events) {
    const customerId = (event.data as { customerId?: string }).customerId;
    if (event.type === 'customer.erased' && customerId && !erasedAt.has(customerId)) erasedAt.set(customerId, event.seq);
  }
  const readyAt = new Map(events.filter((event) => event.type === 'backup.ready').map((event) => [(event.data as { jobId: string }).jobId, event.seq]));
  const jobs = new Map((await inspect.selectFrom('cx_backup_jobs').select(['job_id', 'status', 'attempt']).execute()).map((job) => [job.job_id, job]));
  const chunks = await inspect.selectFrom('cx_backup_chunks').select(['file_id', 'data']).execute();
  for (const chunk of chunks) {
    const dot = chunk.file_id.lastIndexOf('.');
    const jobId = chunk.file_id.slice(0, dot);
    const job = jobs.get(jobId);
    expect(job, `chunk ${chunk.file_id} of a deleted job`).toBeDefined();
    expect(`${jobId}.${Number(job!.attempt)}`, `chunk ${chunk.file_id} of a past attempt`).toBe(chunk.file_id);
    const text = Buffer.from(chunk.data).toString('utf8');
    for (const customerId of erased) {
      if (!text.includes(`-${customerId}-zq`)) continue;
      // Only a file that was ready before the erasure committed keeps the customer (until it expires).
      expect(job!.status, `${chunk.file_id} holds ${customerId}`).toBe('ready');
      expect(readyAt.get(jobId)!, `${chunk.file_id} was ready before ${customerId} was erased`).toBeLessThan(erasedAt.get(customerId)!);
    }
  }
  return { chunks: chunks.length, jobs: jobs.size };
}

/** Past retention: every job and every chunk gone. */
async function checkRetentionLeavesNothing(inspect: Kysely<CxDatabase>, cx: CxAccounts, advance: (ms: number) => void) {
  advance(8 * DAY);
  for (let round = 0; round < 10; round++) {
    if ((await settle(() => cx.history.deleteExpiredBackups())) === 0) break;
  }
  const jobs = await inspect.selectFrom('cx_backup_jobs').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const chunks = await inspect.selectFrom('cx_backup_chunks').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  expect(Number(jobs.n)).toBe(0);
  expect(Number(chunks.n)).toBe(0);
}

describe('R42 R27: erasure during backups, under terminated connections and stopped runners', () => {
  for (const server of servers) {
    it.skipIf(!server.available)(`${server.name}: erasures and backups while connections are killed leave no erased row and no stray chunk`, async () => {
      const database = await server.create();
      cleanups.push(database.drop);
      const store = await server.open(database.url);
      cleanups.push(() => store.close());
      const inspect = server.inspect(database.url);
      cleanups.push(() => inspect.destroy());
      const { cx, advance } = await seeded(store);
      // A backup ready before any erasure: it may keep the erased customers until it expires.
      const early = await settle(() => cx.history.startBackup('acme'));
      await settle(() => cx.history.runBackup('acme', early.id));
      // Jobs pending when the fire starts, whatever the calls under fire manage to start.
      for (let index = 0; index < 3; index++) await settle(() => cx.history.startBackup('acme'));

      const killer = await server.killer(new URL(database.url).pathname.slice(1));
      let killing = true;
      let kills = 0;
      const killing$ = (async () => {
        while (killing) {
          kills += await killer.killOne().catch(() => 0);
          await sleep(3 + Math.random() * 7);
        }
      })();
      const outcomes = new Map<string, number>();
      let next = 0;
      const worker = async (seed: number) => {
        while (next < OPERATIONS) {
          const n = next++;
          const roll = (n * 7919 + seed * 104729) % 10;
          let result: Result<unknown, CxError>;
          if (roll < 3) result = await cx.history.startBackup('acme');
          else if (roll < 6) result = await cx.history.runPendingBackups();
          else if (roll < 8) result = await cx.customers.erase('acme', ERASED[n % ERASED.length]!);
          else result = await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c0', content: wordOf('c0', `late-${n}`), channel: 'line' });
          const key = result.isOk() ? 'ok' : result.error.code === 'store_failure' ? `store_failure/${result.error.outcome}` : result.error.code;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          // R27: a runner pass never answers rolled_back for work it kept; nothing is `internal`.
          expect(key).not.toBe('internal');
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
      killing = false;
      await killing$;
      await killer.end();
      expect(kills).toBeGreaterThan(0);
      expect(outcomes.get('ok') ?? 0).toBeGreaterThan(0);

      // The erasures that may not have committed are made again, then every job is run to its end.
      for (const customerId of ERASED) await settle(() => cx.customers.erase('acme', customerId));
      await finishEveryJob(cx, advance, inspect);
      const left = await checkLeftovers(inspect, cx, ERASED);
      expect(left.jobs).toBeGreaterThanOrEqual(4);
      // The early backup still holds what it held: ready before the erasures.
      expect(left.chunks).toBeGreaterThan(0);
      await checkRetentionLeavesNothing(inspect, cx, advance);
    });

    for (const variant of ['an erasure', 'a takeover'] as const) {
      it.skipIf(!server.available)(`${server.name}: a runner process frozen during ${variant}, resumed and killed, leaves no chunk of its attempt and nothing erased`, async () => {
        const database = await server.create();
        cleanups.push(database.drop);
        const store = await server.open(database.url);
        cleanups.push(() => store.close());
        const inspect = server.inspect(database.url);
        cleanups.push(() => inspect.destroy());
        const { cx, advance } = await seeded(store);
        const job = await settle(() => cx.history.startBackup('acme'));

        const runner = runScript('slow-backup-runner.ts', [JSON.stringify({ kind: server.kind, target: database.url, domainId: 'acme', jobId: job.id })]);
        cleanups.push(async () => {
          runner.child.kill('SIGCONT');
          runner.child.kill('SIGKILL');
        });
        await runner.waitForLine(/^frozen$/);
        const written = await inspect.selectFrom('cx_backup_chunks').select('file_id').where('file_id', '=', `${job.id}.1`).execute();
        expect(written.length).toBeGreaterThan(0);

        if (variant === 'an erasure') {
          await settle(() => cx.customers.erase('acme', 'c1'));
          // In the erasure's commit: the frozen runner's chunks are gone, the job is pending again.
          expect(await inspect.selectFrom('cx_backup_chunks').select('file_id').execute()).toEqual([]);
          expect(await inspect.selectFrom('cx_backup_jobs').select(['status', 'attempt']).executeTakeFirst()).toMatchObject({ status: 'pending' });
        } else {
          advance(2 * MINUTE);
        }
        // Another runner takes it up and finishes it.
        expect(await settle(() => cx.history.runPendingBackups())).toMatchObject({ ready: 1 });

        runner.child.kill('SIGCONT');
        // Its next chunk write is refused; it is killed right then, before it can clean anything up.
        await runner.waitForLine(/^append \d+ false$/);
        runner.child.kill('SIGKILL');
        await runner.exited;

        const erased = variant === 'an erasure' ? ['c1'] : [];
        const left = await checkLeftovers(inspect, cx, erased);
        expect(left).toMatchObject({ jobs: 1 });
        expect(left.chunks).toBeGreaterThan(0);
        const ready = await settle(() => cx.history.job('acme', job.id));
        expect(ready).toMatchObject({ status: 'ready', rowsDone: ready.rowsTotal });
        await checkRetentionLeavesNothing(inspect, cx, advance);
      });
    }
  }
});

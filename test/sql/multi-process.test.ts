/**
 * R28 across processes: several Node processes (`node --import tsx`, see
 * `support/stress-worker.ts`) run random operations on one SQLite file (WAL), one PostgreSQL
 * database and one MariaDB database at the same time, while one more process is killed with
 * SIGKILL in the middle of its run. Afterwards every invariant is read back from the tables:
 * nothing a process did — the killed one included — is left half-written.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { CxDatabase } from '../../adapters/sql/cx-database.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { checkAvailable, createMysqlDatabase, createPostgresDatabase, mysqlFactory, postgresFactory, scratchDatabaseName } from '../stores/sql-stores.js';
import { STRESS_LOCK_TIMEOUT_MS } from './scratch-databases.js';
import { checkStoreInvariants } from './store-invariants.js';
import { seedStressProducts, stressDirectory } from './support/stress-workload.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./support/stress-worker.ts', import.meta.url));
/** Processes that run to the end, and how many operations each. */
const WORKERS = 4;
const OPERATIONS_PER_WORKER = Number(process.env.CX_STRESS_OPERATIONS ?? 150);
/** The victim is killed once it has finished this many operations. */
const KILL_AFTER = 30;

type Target = {
  name: string;
  dialect: 'sqlite' | 'postgres' | 'mysql';
  available: boolean;
  create: () => Promise<{ target: string; drop: () => Promise<void> }>;
  open: (target: string) => Promise<ClosableStore>;
  inspect: (target: string) => Kysely<CxDatabase>;
};

const targets: Target[] = [
  {
    name: 'SQLite file (WAL)',
    dialect: 'sqlite',
    available: true,
    create: async () => {
      const file = join(tmpdir(), `${scratchDatabaseName()}.sqlite`);
      return { target: file, drop: async () => { for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true }); } };
    },
    open: (file) => openSqlite(file, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS }),
    inspect: (file) => new Kysely<CxDatabase>({ dialect: new SqliteDialect({ database: new Database(file, { readonly: true }) }) }),
  },
  {
    name: 'PostgreSQL',
    dialect: 'postgres',
    available: await checkAvailable(postgresFactory),
    create: async () => {
      const created = await createPostgresDatabase();
      return { target: created.url, drop: created.drop };
    },
    open: (url) => openPostgres({ connectionString: url }, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS }),
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) }),
  },
  {
    name: 'MariaDB',
    dialect: 'mysql',
    available: await checkAvailable(mysqlFactory),
    create: async () => {
      const created = await createMysqlDatabase();
      return { target: created.url, drop: created.drop };
    },
    open: (url) => openMysql({ uri: url }, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS }),
    inspect: (url) => new Kysely<CxDatabase>({ dialect: new MysqlDialect({ pool: createPool({ uri: url, connectionLimit: 1 }) }) }),
  },
];

type WorkerEnd = { code: number | null; signal: NodeJS.Signals | null; tally: Record<string, number>; progress: number; stderr: string };

/** Starts one worker process; `onProgress` sees its running count of finished operations. */
function startWorker(env: Record<string, string>, onProgress: (done: number) => void = () => {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let progress = 0;
  let tally: Record<string, number> = {};
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    let newline;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      if (line.startsWith('progress ')) onProgress((progress = Number(line.slice(9))));
      else if (line.startsWith('done ')) tally = JSON.parse(line.slice(5));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const ended = new Promise<WorkerEnd>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, tally, progress, stderr }));
  });
  return { child, ended };
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}, 60_000);

describe('R28 across processes', () => {
  for (const target of targets) {
    it.skipIf(!target.available)(
      `R28: ${target.name}: ${WORKERS} processes x ${OPERATIONS_PER_WORKER} operations plus one killed with SIGKILL mid-run keep R3, R4, R6 and R16`,
      async () => {
        const created = await target.create();
        cleanups.push(created.drop);
        const seeding = await target.open(created.target);
        await seedStressProducts(createCxAccounts({ store: seeding, directory: stressDirectory(), contactUrlBase: 'https://talk.example.com/add/' }));
        await seeding.close();

        const began = performance.now();
        const base = { CX_STRESS_DIALECT: target.dialect, CX_STRESS_TARGET: created.target, CX_STRESS_CALLERS: '4' };
        const workers = Array.from({ length: WORKERS }, (_, index) =>
          startWorker({ ...base, CX_STRESS_SEED: String(index + 1), CX_STRESS_OPERATIONS: String(OPERATIONS_PER_WORKER) }),
        );
        // The victim never finishes on its own; it dies with transactions in flight.
        let killedAt = 0;
        const victim = startWorker({ ...base, CX_STRESS_SEED: '99', CX_STRESS_OPERATIONS: '1000000' }, (done) => {
          if (done >= KILL_AFTER && killedAt === 0) {
            killedAt = done;
            victim.child.kill('SIGKILL');
          }
        });
        cleanups.push(async () => void victim.child.kill('SIGKILL'));
        const ends = await Promise.all(workers.map((worker) => worker.ended));
        const victimEnd = await victim.ended;
        const seconds = (performance.now() - began) / 1000;

        const inspector = target.inspect(created.target);
        cleanups.push(() => inspector.destroy());
        const report = await checkStoreInvariants(inspector);
        const tally: Record<string, number> = {};
        for (const end of ends) for (const [answer, count] of Object.entries(end.tally)) tally[answer] = (tally[answer] ?? 0) + count;
        const operations = Object.values(tally).reduce((sum, count) => sum + count, 0);
        console.log(
          `[cx-accounts multi-process] ${target.name}: ${WORKERS + 1} processes, ${operations} operations finished in ${seconds.toFixed(1)} s ` +
            `by ${WORKERS} of them, the last one killed with ${victimEnd.signal} after ${killedAt} operations; ` +
            `${report.activeAccounts} active accounts; violations: ${report.violations.length}\n  ` +
            Object.entries(tally).sort().map(([answer, count]) => `${answer}=${count}`).join(', ') +
            (report.violations.length > 0 ? `\n  ${report.violations.slice(0, 20).join('\n  ')}` : ''),
        );
        for (const end of ends) expect(end.code, end.stderr).toBe(0);
        expect(victimEnd.signal).toBe('SIGKILL');
        expect(operations).toBe(WORKERS * OPERATIONS_PER_WORKER);
        expect(report.violations).toEqual([]);
        expect(Object.keys(tally).filter((answer) => answer.endsWith('store_failure') || answer.endsWith('internal'))).toEqual([]);
        // Creates won and lost races across processes.
        expect(tally['create:ok'] ?? 0).toBeGreaterThan(0);
        expect((tally['create:id_taken'] ?? 0) + (tally['create:product_unavailable'] ?? 0)).toBeGreaterThan(0);
      },
      120_000,
    );
  }
});

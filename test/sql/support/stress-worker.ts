/**
 * One process of the multi-process stress test (run with `node --import tsx`): opens the
 * store named by its environment, runs random operations with a few concurrent callers, and
 * prints `progress <n>` lines and, at the end, one `done <json>` line with its tally.
 *
 * Environment: CX_STRESS_DIALECT (`sqlite` | `postgres` | `mysql`), CX_STRESS_TARGET (file
 * or URL), CX_STRESS_SEED, CX_STRESS_OPERATIONS (default 200), CX_STRESS_CALLERS (default 4).
 */
import type { ClosableStore } from '../../../adapters/sql/store/open-migrated-store.js';
import { openMysql } from '../../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../../adapters/sql/sqlite/open-sqlite.js';
import { STRESS_LOCK_TIMEOUT_MS } from '../scratch-databases.js';
import { createCxAccounts } from '../../../src/cx-accounts.js';
import { randomStressOperation, seededRandom, stressDirectory } from './stress-workload.js';

const dialect = process.env.CX_STRESS_DIALECT;
const target = process.env.CX_STRESS_TARGET ?? '';
const seed = Number(process.env.CX_STRESS_SEED ?? 1);
const operations = Number(process.env.CX_STRESS_OPERATIONS ?? 200);
const callers = Number(process.env.CX_STRESS_CALLERS ?? 4);

async function open(): Promise<ClosableStore> {
  if (dialect === 'sqlite') return openSqlite(target, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS });
  if (dialect === 'postgres') return openPostgres({ connectionString: target, poolSize: callers }, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS });
  if (dialect === 'mysql') return openMysql({ uri: target, poolSize: callers }, { lockTimeoutMs: STRESS_LOCK_TIMEOUT_MS });
  throw new Error(`unknown CX_STRESS_DIALECT ${dialect}`);
}

const store = await open();
const cx = createCxAccounts({ store, directory: stressDirectory(), contactUrlBase: 'https://talk.example.com/add/' });
const tally: Record<string, number> = {};
let started = 0;
let finished = 0;
const caller = async (index: number) => {
  const random = seededRandom(seed * 1000 + index);
  while (started < operations) {
    started += 1;
    const answer = await randomStressOperation(cx, random);
    tally[answer] = (tally[answer] ?? 0) + 1;
    finished += 1;
    if (finished % 10 === 0) process.stdout.write(`progress ${finished}\n`);
  }
};
await Promise.all(Array.from({ length: callers }, (_, index) => caller(index)));
await store.close();
process.stdout.write(`done ${JSON.stringify(tally)}\n`);

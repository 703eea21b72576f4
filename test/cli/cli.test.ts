import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openPostgres } from '../../adapters/sql/open-postgres.js';
import type { ClosableStore } from '../../adapters/sql/open-migrated-store.js';
import { openSqlite } from '../../adapters/sql/open-sqlite.js';
import { cxMigrations } from '../../adapters/sql/cx-migrations.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { packageRoot } from '../package/packed-package.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';

const TSX = join(packageRoot, 'node_modules/.bin/tsx');
const MAIN = join(packageRoot, 'cli/main.ts');

type Run = { status: number | null; stdout: string; stderr: string };

/** Runs the CLI to its end (it is the real program, through tsx: no build needed). */
function cli(args: string[], env: Record<string, string> = {}): Run {
  const run = spawnSync(TSX, [MAIN, ...args], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A domain with one account, one message, and a backup job left pending for a worker. */
async function pendingBackup(store: ClosableStore): Promise<string> {
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
    backups: { runner: 'manual' },
  });
  await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 1 });
  await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] });
  await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' });
  await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hello', channel: 'line' });
  const job = await cx.history.startBackup('acme');
  return job.match(
    (value) => value.id,
    (error) => {
      throw new Error(error.message);
    },
  );
}

/** The status of a job, read through a fresh store. */
async function jobStatus(store: ClosableStore, jobId: string): Promise<string> {
  const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
  return (await cx.history.job('acme', jobId)).match(
    (job) => job.status,
    (error) => error.code,
  );
}

describe('cx-accounts CLI: the command line', () => {
  it('answers 2 with the usage for no command, an unknown one, a missing --url or a bad option', () => {
    const cases: [string[], string][] = [
      [[], 'Usage:'],
      [['frobnicate', '--url', 'x.db'], "unknown command 'frobnicate'"],
      [['migrate'], 'migrate needs --url <database> (or CX_DATABASE_URL)'],
      [['migrate', '--url', 'redis://cache'], "unsupported database URL scheme 'redis:'"],
      [['backups', 'run', '--url', 'x.db', '--limit', '0'], "--limit must be a whole number ≥ 1, got '0'"],
      [['migrate', '--url', 'x.db', '--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr + run.stdout, args.join(' ')).toContain('Usage:');
      expect(run.stderr + run.stdout, args.join(' ')).toContain(message);
    }
    expect(cli(['--help']).status).toBe(0);
  });

  it('answers 1 and says why when the database cannot be reached, without printing the password', () => {
    const run = cli(['migrate', '--url', 'postgres://app:s3cret@127.0.0.1:1/cx']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cx-accounts migrate: .*cannot open/);
    expect(run.stderr).not.toContain('s3cret');
  });
});

describe('cx-accounts CLI on SQLite', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'cx-cli-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('migrate creates the schema of a new file, and again changes nothing', () => {
    const file = join(directory, 'migrate.db');
    for (const url of [`sqlite://${file}`, file]) {
      const run = cli(['migrate', '--url', url]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('is up to date');
    }
    const database = new Database(file, { readonly: true });
    try {
      expect(database.prepare('select name from cx_migrations order by name').all()).toEqual(Object.keys(cxMigrations).map((name) => ({ name })));
    } finally {
      database.close();
    }
  });

  it('backups run --once makes the pending backup ready (URL from CX_DATABASE_URL)', async () => {
    const file = join(directory, 'once.db');
    const seeded = await openSqlite(file);
    const jobId = await pendingBackup(seeded);
    await seeded.close();
    const run = cli(['backups', 'run', '--once'], { CX_DATABASE_URL: `sqlite:${file}` });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 ready, 0 failed');
    const store = await openSqlite(file);
    try {
      expect(await jobStatus(store, jobId)).toBe('ready');
    } finally {
      await store.close();
    }
  });

  it('backups run keeps watching until SIGTERM, then ends the round and exits 0', async () => {
    const file = join(directory, 'watch.db');
    const seeded = await openSqlite(file);
    const jobId = await pendingBackup(seeded);
    await seeded.close();
    const worker = spawn(TSX, [MAIN, 'backups', 'run', '--url', file, '--interval-ms', '600000'], { cwd: packageRoot });
    let stdout = '';
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    // Wait for the first round's report (or an early exit, which fails below), then ask it
    // to stop during its long pause.
    await new Promise<void>((resolve) => {
      worker.on('exit', () => resolve());
      worker.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('1 ready')) resolve();
      });
    });
    expect(stdout).toContain('1 ready, 0 failed');
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('SIGTERM received, stopped after the current round');
    const store = await openSqlite(file);
    try {
      expect(await jobStatus(store, jobId)).toBe('ready');
    } finally {
      await store.close();
    }
  });
});

describe('cx-accounts CLI: events tail', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'cx-cli-events-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('R30 R32: prints the events after --after as JSON lines, and --once exits when it has printed them', async () => {
    const file = join(directory, 'events.db');
    const seeded = await openSqlite(file);
    await pendingBackup(seeded);
    await seeded.close();
    const all = cli(['events', 'tail', '--url', file, '--domain', 'acme', '--once']);
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    const events = all.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; type: string; domainId: string });
    expect(events.map((event) => event.type)).toEqual(['product.set', 'account.created', 'contact.added', 'message.received', 'backup.requested']);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    const later = cli(['events', 'tail', '--url', file, '--domain', 'acme', '--after', '3', '--once']);
    expect(later.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([4, 5]);
    expect(cli(['events', 'tail', '--url', file, '--domain', 'nobody', '--once'])).toMatchObject({ status: 0, stdout: '' });
    expect(cli(['events', 'tail', '--url', file, '--once']).status).toBe(2);
    expect(cli(['events', 'tail', '--url', file, '--domain', 'acme', '--after', '-1']).status).toBe(2);
    expect(cli(['migrate', '--url', file, '--domain', 'acme']).status).toBe(2);
  });

  it('R30: follows the log: a new event appears, and SIGTERM ends it with exit code 0', async () => {
    const file = join(directory, 'follow.db');
    const seeded = await openSqlite(file);
    await pendingBackup(seeded);
    await seeded.close();
    const tail = spawn(TSX, [MAIN, 'events', 'tail', '--url', file, '--domain', 'acme', '--after', '5', '--interval-ms', '100'], { cwd: packageRoot });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => tail.on('exit', (code) => resolve(code)));
    const printed = new Promise<void>((resolve) => {
      tail.on('exit', () => resolve());
      tail.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve();
      });
    });
    const store = await openSqlite(file);
    try {
      const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
      expect((await cx.products.set('acme', { productId: 'pro', name: 'Pro', seatLimit: 2, quantity: 1 })).isOk()).toBe(true);
    } finally {
      await store.close();
    }
    await printed;
    expect(JSON.parse(stdout.trim().split('\n')[0]!)).toMatchObject({ seq: 6, type: 'product.set', data: { productId: 'pro' } });
    tail.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

const postgres = await postgresAvailable();
if (postgres !== true && process.env.CI === 'true') throw new Error(`the CLI's PostgreSQL test cannot run under CI: ${postgres}`);
if (postgres !== true) console.warn(`[skip] cx-accounts CLI on PostgreSQL: ${postgres}`);

describe.skipIf(postgres !== true)('cx-accounts CLI on PostgreSQL', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    scratch = await createPostgresDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('migrate, then backups run --once, on a scratch database', async () => {
    const migrated = cli(['migrate', '--url', scratch.url]);
    expect(migrated.stderr).toBe('');
    expect(migrated.status).toBe(0);
    const seeded = await openPostgres({ connectionString: scratch.url });
    const jobId = await pendingBackup(seeded);
    await seeded.close();
    const run = cli(['backups', 'run', '--url', scratch.url, '--once']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 ready, 0 failed');
    const tail = cli(['events', 'tail', '--url', scratch.url, '--domain', 'acme', '--once']);
    expect(tail.status).toBe(0);
    expect(tail.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type).slice(-2)).toEqual(['backup.requested', 'backup.ready']);
    const store = await openPostgres({ connectionString: scratch.url });
    try {
      expect(await jobStatus(store, jobId)).toBe('ready');
    } finally {
      await store.close();
    }
  });
});

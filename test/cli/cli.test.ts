import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { cxMigrations } from '../../adapters/sql/migrations/cx-migrations.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { packageRoot } from '../package/packed-package.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';
import { BIN, CLI_TEST_TIMEOUT_MS, cli, cliEnv, jobStatus, pendingBackup, startCli } from './cli-process.js';

describe('cx-accounts CLI on SQLite', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'cx-cli-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('migrate creates the schema of a new file, and again changes nothing', async () => {
    const file = join(directory, 'migrate.db');
    for (const url of [`sqlite://${file}`, file]) {
      const run = await cli(['migrate', '--url', url]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`cx-accounts migrate: the schema of ${url} is up to date\n`);
    }
    const database = new Database(file, { readonly: true });
    try {
      expect(database.prepare('select name from cx_migrations order by name').all()).toEqual(Object.keys(cxMigrations).map((name) => ({ name })));
    } finally {
      database.close();
    }
  });

  it('migrate --json prints one JSON object', async () => {
    const file = join(directory, 'json.db');
    const run = await cli(['migrate', '--url', file, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ database: file, schema: 'up to date' });
  });

  it('the URL comes from --url, else CX_DATABASE_URL, else DATABASE_URL (an empty variable counts as unset)', async () => {
    const [option, cx, plain] = ['option.db', 'cx.db', 'plain.db'].map((name) => join(directory, name));
    expect((await cli(['migrate', '--url', option!], { CX_DATABASE_URL: cx!, DATABASE_URL: plain! })).status).toBe(0);
    expect([existsSync(option!), existsSync(cx!), existsSync(plain!)]).toEqual([true, false, false]);
    expect((await cli(['migrate'], { CX_DATABASE_URL: `sqlite:${cx}`, DATABASE_URL: plain! })).status).toBe(0);
    expect([existsSync(cx!), existsSync(plain!)]).toEqual([true, false]);
    const fallback = await cli(['migrate'], { CX_DATABASE_URL: '', DATABASE_URL: plain! });
    expect(fallback.stderr).toBe('');
    expect(fallback.status).toBe(0);
    expect(existsSync(plain!)).toBe(true);
    const wrong = await cli(['migrate'], { DATABASE_URL: 'redis://cache' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("cx-accounts migrate: $DATABASE_URL: unsupported database URL scheme 'redis:'");
  });

  it('only migrate creates a database: events tail and backups run on a mistyped path answer 1 and create nothing', async () => {
    const empty = join(directory, 'empty.db');
    writeFileSync(empty, '');
    const folder = join(directory, 'a-folder.db');
    mkdirSync(folder);
    const cases: [url: string, file: string, reason: string][] = [
      [join(directory, 'typo.db'), join(directory, 'typo.db'), 'the file does not exist'],
      [`sqlite:${join(directory, 'typo2.db')}`, join(directory, 'typo2.db'), 'the file does not exist'],
      [`sqlite://${join(directory, 'typo3.db')}`, join(directory, 'typo3.db'), 'the file does not exist'],
      [join(directory, 'no-such-folder', 'cx.db'), join(directory, 'no-such-folder'), 'the file does not exist'],
      [empty, empty, 'the file is empty'],
      [folder, folder, 'it is not a file'],
    ];
    for (const command of [['events', 'tail', '--domain', 'acme', '--once'], ['backups', 'run', '--once']]) {
      for (const [url, file, reason] of cases) {
        const existed = existsSync(file);
        const run = await cli([...command, '--url', url]);
        const label = `${command.join(' ')} --url ${url}`;
        expect(run.status, label).toBe(1);
        expect(run.stdout, label).toBe('');
        expect(run.stderr, label).toContain(`cx-accounts ${command[0]} ${command[1]}: no SQLite database at ${JSON.stringify(url.replace(/^sqlite:(\/\/)?/, ''))}: ${reason}`);
        expect(run.stderr, label).toContain('only `cx-accounts migrate` creates a database');
        expect(existsSync(file), label).toBe(existed);
      }
    }
    expect(statSync(empty).size).toBe(0);
  });

  it("only migrate creates the tables: events tail and backups run on another app's SQLite file answer 1 and leave it as it was", async () => {
    const file = join(directory, 'other-app.db');
    const other = new Database(file);
    other.exec("create table notes (body text); insert into notes values ('keep me')");
    other.close();
    for (const command of [['events', 'tail', '--domain', 'acme'], ['backups', 'run', '--once']]) {
      const run = await cli([...command, '--url', `sqlite:${file}`]);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`cx-accounts ${command[0]} ${command[1]}: the SQLite database ${JSON.stringify(file)} has no cx-accounts tables; check the path, or run \`cx-accounts migrate\` to create them\n`);
    }
    const database = new Database(file, { readonly: true });
    try {
      expect(database.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([{ name: 'notes' }]);
    } finally {
      database.close();
    }
  });

  it('a failure to open is said once, under the command name (no doubled prefix)', async () => {
    const run = await cli(['migrate', '--url', join(directory, 'no-such-folder', 'cx.db')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cx-accounts migrate: cannot open SQLite database ".*no-such-folder\/cx\.db": /);
    expect(run.stderr).not.toContain('cx-accounts migrate: cx-accounts:');
  });

  it('backups run --once makes the pending backup ready (URL from CX_DATABASE_URL); --json prints the round as JSON', async () => {
    const file = join(directory, 'once.db');
    const seeded = await openSqlite(file);
    const jobId = await pendingBackup(seeded);
    await seeded.close();
    const run = await cli(['backups', 'run', '--once'], { CX_DATABASE_URL: `sqlite:${file}` });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('cx-accounts backups run: 1 ready, 0 failed, 0 skipped, 0 deleted\n');
    const again = await cli(['backups', 'run', '--once', '--json', '--url', file]);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ event: 'round', ready: 0, failed: 0, skipped: 0, deleted: 0 });
    const store = await openSqlite(file);
    try {
      expect(await jobStatus(store, jobId)).toBe('ready');
    } finally {
      await store.close();
    }
  });

  it('backups run keeps watching until SIGTERM, then ends the round and exits 0 (--json: one object a line)', async () => {
    const file = join(directory, 'watch.db');
    const seeded = await openSqlite(file);
    const jobId = await pendingBackup(seeded);
    await seeded.close();
    const worker = startCli(['backups', 'run', '--url', file, '--interval-ms', '600000', '--json']);
    // Wait for the first round's report (an early exit fails here), then ask it to stop during its long pause.
    expect(await worker.printed('"event":"round"')).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const { stdout, stderr } = worker.output();
    expect(stderr).toBe('');
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { event: 'watching', database: file, intervalMs: 600000, limit: 10 },
      { event: 'round', ready: 1, failed: 0, skipped: 0, deleted: 0 },
      { event: 'stopped', signal: 'SIGTERM' },
    ]);
    const store = await openSqlite(file);
    try {
      expect(await jobStatus(store, jobId)).toBe('ready');
    } finally {
      await store.close();
    }
  });
});

describe('cx-accounts CLI: events tail', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
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
    const all = await cli(['events', 'tail', '--url', file, '--domain', 'acme', '--once']);
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    const events = all.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; type: string; domainId: string });
    expect(events.map((event) => event.type)).toEqual(['product.set', 'account.created', 'contact.added', 'message.received', 'backup.requested']);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    const later = await cli(['events', 'tail', '--url', file, '--domain', 'acme', '--after', '3', '--once']);
    expect(later.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([4, 5]);
    // Pages of 2: every event still comes, in order.
    const paged = await cli(['events', 'tail', '--url', file, '--domain', 'acme', '--limit', '2', '--once', '--json']);
    expect(paged.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await cli(['events', 'tail', '--url', file, '--domain', 'nobody', '--once'])).toMatchObject({ status: 0, stdout: '' });
  });

  it('R30: follows the log: a new event appears, and SIGTERM ends it with exit code 0', async () => {
    const file = join(directory, 'follow.db');
    const seeded = await openSqlite(file);
    await pendingBackup(seeded);
    await seeded.close();
    const tail = startCli(['events', 'tail', '--url', file, '--domain', 'acme', '--after', '5', '--interval-ms', '100']);
    const store = await openSqlite(file);
    try {
      const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
      expect((await cx.products.set('acme', { productId: 'pro', name: 'Pro', seatLimit: 2, quantity: 1 })).isOk()).toBe(true);
    } finally {
      await store.close();
    }
    // Whenever the tail reads next, seq 6 is there: wait for it to be printed, however long that takes.
    expect(await tail.printed('\n')).toBe(true);
    expect(JSON.parse(tail.output().stdout.trim().split('\n')[0]!)).toMatchObject({ seq: 6, type: 'product.set', data: { productId: 'pro' } });
    tail.child.kill('SIGTERM');
    expect(await tail.exited).toBe(0);
    expect(tail.output().stderr).toBe('');
  });

  it('`events tail … | head -1` prints one line and ends quietly with exit code 0 (no EPIPE trace)', async () => {
    const file = join(directory, 'pipe.db');
    const store = await openSqlite(file);
    try {
      const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
      // More than a pipe holds (64 KiB): the tail is still writing when head has gone.
      for (let index = 0; index < 1500; index++) {
        const set = await cx.products.set('acme', { productId: `p${index % 20}`, name: `Product ${index}`, seatLimit: 2, quantity: 1 });
        expect(set.isOk()).toBe(true);
      }
    } finally {
      await store.close();
    }
    // Following (no --once): only the closed pipe can end it.
    const script = '"$0" "$1" events tail --url "$2" --domain acme | head -1; exit "${PIPESTATUS[0]}"';
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const shell = spawn('bash', ['-c', script, process.execPath, BIN, file], { cwd: packageRoot, env: cliEnv() });
      let stdout = '';
      let stderr = '';
      shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      shell.on('error', reject);
      shell.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ seq: 1, type: 'product.set' });
  });
});

const postgres = await postgresAvailable();
if (postgres !== true && process.env.CI === 'true') throw new Error(`the CLI's PostgreSQL test cannot run under CI: ${postgres}`);
if (postgres !== true) console.warn(`[skip] cx-accounts CLI on PostgreSQL: ${postgres}`);

describe.skipIf(postgres !== true)('cx-accounts CLI on PostgreSQL', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let scratch: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    scratch = await createPostgresDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it('migrate, then backups run --once, on a scratch database', async () => {
    const migrated = await cli(['migrate', '--url', scratch.url]);
    expect(migrated.stderr).toBe('');
    expect(migrated.status).toBe(0);
    const seeded = await openPostgres({ connectionString: scratch.url });
    const jobId = await pendingBackup(seeded);
    await seeded.close();
    const run = await cli(['backups', 'run', '--url', scratch.url, '--once']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 ready, 0 failed');
    const tail = await cli(['events', 'tail', '--url', scratch.url, '--domain', 'acme', '--once']);
    expect(tail.status).toBe(0);
    expect(tail.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type).slice(-2)).toEqual(['backup.requested', 'backup.ready']);
    const store = await openPostgres({ connectionString: scratch.url });
    try {
      expect(await jobStatus(store, jobId)).toBe('ready');
    } finally {
      await store.close();
    }
  });

  it('the migrate success line and the backups run watching line hide every credential of the URL', async () => {
    // The server trusts local connections, so the passwords are never checked: only printed, or not.
    const url = new URL(scratch.url);
    const withSecrets = `postgres://${url.username}:p@ssS3cret%2Fx@${url.host}${url.pathname}?password=QuerySecret1&sslpassword=SslSecret2&application_name=cx-cli`;
    const secrets = ['p@ssS3cret', 'ssS3cret', 'S3cret%2Fx', 'QuerySecret1', 'SslSecret2'];
    const migrated = await cli(['migrate', '--url', withSecrets]);
    expect(migrated.stderr).toBe('');
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toBe(`cx-accounts migrate: the schema of postgres://${url.username}:***@${url.host}${url.pathname}?password=***&sslpassword=***&application_name=cx-cli is up to date\n`);
    const worker = startCli(['backups', 'run', '--interval-ms', '600000'], { DATABASE_URL: withSecrets });
    expect(await worker.printed('watching')).toBe(true);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const { stdout, stderr } = worker.output();
    expect(stderr).toBe('');
    expect(stdout).toContain(`watching postgres://${url.username}:***@${url.host}${url.pathname}?password=***&sslpassword=***&application_name=cx-cli every 600000 ms`);
    for (const secret of secrets) expect(migrated.stdout + stdout, secret).not.toContain(secret);
  });
});

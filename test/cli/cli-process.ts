import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { ensureBuilt, packageRoot } from '../package/packed-package.js';

/**
 * The command as a user runs it: the built bin (`package.json` → `bin`), with this Node. vitest's
 * globalSetup builds dist/ from the sources before any file runs (`test/build-once.ts`); a
 * process starts in a fifth of the CPU time tsx needs, which keeps the tables of command lines
 * cheap on a loaded machine.
 */
export const BIN = join(packageRoot, 'dist/esm/cli/main.js');

/** A generous bound for tests that start many processes: they wait for output, never for time. */
export const CLI_TEST_TIMEOUT_MS = 600_000;

export type Run = { status: number | null; stdout: string; stderr: string };

/**
 * The environment of a run: this process's, without the database URL variables (the machine's
 * own `DATABASE_URL` must not leak into a test), plus `env`.
 */
export function cliEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base['CX_DATABASE_URL'];
  delete base['DATABASE_URL'];
  return { ...base, ...env };
}

/** Runs the CLI to its end and answers its exit code and output. */
export function cli(args: string[], env: Record<string, string> = {}, cwd = packageRoot): Promise<Run> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A CLI process left running (`backups run`, `events tail`), with what it has printed so far. */
export type RunningCli = {
  child: ChildProcessWithoutNullStreams;
  output(): { stdout: string; stderr: string };
  /** Resolves when standard output holds `text` (true), or when the process ends first (false). */
  printed(text: string): Promise<boolean>;
  /** Its exit code, once it has ended. */
  exited: Promise<number | null>;
};

/** Starts the CLI and leaves it running. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  ensureBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: packageRoot, env: cliEnv(env) });
  let stdout = '';
  let stderr = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((waiter) => waiter());
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      notify();
      resolve(code);
    }),
  );
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    printed: (text) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if (stdout.includes(text) || ended) {
            waiters.delete(check);
            resolve(stdout.includes(text));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

/** A domain with one account, one message, and a backup job left pending for a worker. */
export async function pendingBackup(store: ClosableStore): Promise<string> {
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
export async function jobStatus(store: ClosableStore, jobId: string): Promise<string> {
  const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', backups: { runner: 'manual' } });
  return (await cx.history.job('acme', jobId)).match(
    (job) => job.status,
    (error) => error.code,
  );
}

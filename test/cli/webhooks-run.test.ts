import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { webhookReceiver } from '../../testing/webhook-receiver.js';
import { packageRoot } from '../package/packed-package.js';

const TSX = join(packageRoot, 'node_modules/.bin/tsx');
const MAIN = join(packageRoot, 'cli/main.ts');
const directory = mkdtempSync(join(tmpdir(), 'cx-webhooks-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the CLI without blocking this process's event loop (the receiver lives in it). */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd: packageRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A SQLite file with one endpoint and two events after it. */
async function seeded(name: string, url: string): Promise<{ file: string; secret: string }> {
  const file = join(directory, name);
  const store = await openSqlite(file);
  const cx = createCxAccounts({ store, directory: memoryDirectory([]), contactUrlBase: 'https://talk.example.com/add/', webhooks: { runner: 'manual', allowHttp: true } });
  const endpoint = expectOk(await cx.webhooks.add('acme', { url }));
  expectOk(await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 1, quantity: 1 }));
  expectOk(await cx.products.set('acme', { productId: 'pro', name: 'Pro', seatLimit: 5, quantity: 1 }));
  await store.close();
  return { file, secret: endpoint.secret };
}

describe('cx-accounts webhooks run', () => {
  it('R54: --once delivers the pending events, signed, in seq order, then exits 0', async () => {
    const receiver = await webhookReceiver();
    try {
      const { file, secret } = await seeded('deliver.db', receiver.url('/hook'));
      const run = await cli(['webhooks', 'run', '--once', '--url', `sqlite:${file}`, '--allow-http', '--allow-private-networks']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('2 delivered, 0 failed');
      const seqs = receiver.received.map((request) => (new Webhook(secret).verify(request.body, request.headers) as { cxseq: number }).cxseq);
      expect(seqs).toEqual([2, 3]);
    } finally {
      await receiver.close();
    }
  });

  it('R55: without --allow-private-networks a delivery to 127.0.0.1 is blocked_address, and nothing reaches the receiver', async () => {
    const receiver = await webhookReceiver();
    try {
      const { file } = await seeded('guarded.db', receiver.url('/hook'));
      const run = await cli(['webhooks', 'run', '--once', '--url', `sqlite:${file}`, '--allow-http']);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('0 delivered, 1 failed');
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('answers 2 for an option it does not take', async () => {
    const run = await cli(['webhooks', 'run', '--url', 'sqlite:x.db', '--limit', '3']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--limit'");
  });
});

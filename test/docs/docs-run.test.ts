import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitConcurrency } from '../limit-concurrency.js';
import { ensureBuilt, packageRoot } from '../package/packed-package.js';
import { createPostgresDatabase, postgresAvailable } from '../sql/scratch-databases.js';
import { markdownPrograms, type MarkdownProgram } from './code-blocks.js';

const run = promisify(execFile);
const TSX = join(packageRoot, 'node_modules/tsx/dist/cli.mjs');

/** README.md and guides/*.md, whose ```ts blocks a reader copies into a file and runs. */
const MARKDOWN = ['README.md', ...readdirSync(join(packageRoot, 'guides')).filter((name) => name.endsWith('.md')).map((name) => `guides/${name}`)];
const programs = MARKDOWN.flatMap((file) => markdownPrograms(packageRoot, file));

let workDir = '';
/** `true` when PostgreSQL is up for the snippets that need it, else why not. */
let postgres: true | string | undefined;

/**
 * Snippets run this many at once: each is a tsx child that spends most of its life starting
 * up (loading tsx and the package), so one after another they made this file one of the
 * longest of `npm test`. Those that need PostgreSQL get a database each.
 */
const SNIPPETS_AT_ONCE = 3;
const inTurn = limitConcurrency(SNIPPETS_AT_ONCE);

beforeAll(async () => {
  // The blocks import `cx-accounts` as an app does: the built package (dist/), reached from a
  // folder inside the package root by the package's own name.
  ensureBuilt();
  workDir = mkdtempSync(join(packageRoot, '.docs-run-'));
  if (programs.some((program) => program.postgres)) postgres = await postgresAvailable();
});
afterAll(async () => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Runs a TypeScript file with tsx, as a reader would (`npx tsx file.ts`); answers its output, or its failure. */
async function runFile(cwd: string, file: string, env: Record<string, string> = {}): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSX, file], {
      cwd,
      env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
      // Generous: a child's start-up takes seconds on a loaded 2-core machine.
      timeout: 170_000,
      encoding: 'utf8',
    });
    return { ok: true, stdout, stderr };
  } catch (failure) {
    const { stdout = '', stderr = '', message } = failure as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout, stderr: stderr || message };
  }
}

const programName = (program: MarkdownProgram) => program.origin.replace(/[/.:]/g, '-');

// Docs are code: every ```ts block of the README and the guides runs, joined with the blocks
// marked `<!-- docs-check: continues -->` before it, and nothing else — no hidden prelude, so
// every `cx` a snippet uses is one the reader sees. A run passes when it exits 0 and writes
// nothing to stderr: the snippets report an unexpected error with `console.error`.
describe('docs: README and guide snippets run', () => {
  it('finds the snippets', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
    expect(programs.map((program) => program.origin)).toContain(programs.find((program) => program.origin.startsWith('README.md'))?.origin);
  });

  it.concurrent.for(programs.map((program) => [program.origin, program] as const))('%s runs with tsx, exits 0 and reports no error', { timeout: 180_000 }, async ([, program], { expect }) => {
    let env: Record<string, string> = {};
    let database: { url: string; drop: () => Promise<void> } | undefined;
    if (program.postgres) {
      if (postgres !== true) {
        if (process.env.CI === 'true') throw new Error(`PostgreSQL is needed by ${program.origin}: ${String(postgres)}`);
        console.warn(`[docs] ${program.origin} needs PostgreSQL, skipped: ${String(postgres)}`);
        return;
      }
      database = await createPostgresDatabase();
      env = { DATABASE_URL: database.url, PRIMARY_URL: database.url, REPLICA_URL: database.url };
    }
    try {
      const dir = join(workDir, programName(program));
      mkdirSync(dir);
      writeFileSync(join(dir, 'snippet.ts'), `${program.code}\n`);
      const result = await inTurn(() => runFile(dir, 'snippet.ts', env));
      expect({ origin: program.origin, ok: result.ok, stderr: result.stderr }).toEqual({ origin: program.origin, ok: true, stderr: '' });
    } finally {
      await database?.drop();
    }
  });

  it('the README quickstart runs in a default CommonJS project (no "type": "module") too', async () => {
    const quickstart = programs.find((program) => program.origin.startsWith('README.md'));
    expect(quickstart?.code).toContain('createCxAccounts');
    const app = join(workDir, 'commonjs-app');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    // What `npm init -y` writes: no "type", so .ts files are CommonJS to tsx.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-app', version: '1.0.0', main: 'index.js' }, null, 2));
    symlinkSync(packageRoot, join(app, 'node_modules/cx-accounts'), 'dir');
    writeFileSync(join(app, 'quickstart.ts'), `${quickstart!.code}\n`);
    const result = await inTurn(() => runFile(app, 'quickstart.ts'));
    expect({ ok: result.ok, stderr: result.stderr }).toEqual({ ok: true, stderr: '' });
    expect(result.stdout).toMatch(/^https:\/\/talk\.example\.com\/add\/\S+\nQR code: \d+ bytes of PNG\n$/);
  }, 180_000);
});

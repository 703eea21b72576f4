import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder (the worktree root). */
export const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of the `.ts` files under the source folders. */
function newestSource(): number {
  let newest = 0;
  for (const folder of ['src', 'adapters', 'testing', 'cli']) {
    for (const file of readdirSync(join(packageRoot, folder), { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.ts')) newest = Math.max(newest, statSync(join(packageRoot, folder, file)).mtimeMs);
    }
  }
  return newest;
}

const MARKER = 'dist/esm/src/index.js';

/** Why dist/ cannot be tested as it is (missing, or older than the sources); `null` when it is fresh. */
function distProblem(): string | null {
  const marker = join(packageRoot, MARKER);
  if (!existsSync(marker)) return 'dist/ is missing';
  if (statSync(marker).mtimeMs < newestSource()) return 'dist/ is older than the sources';
  return null;
}

/**
 * Runs `npm run build` when dist/ is missing or older than the sources, as a user's
 * `npm pack` would find it after `npm run build`. Only vitest's `globalSetup`
 * (`test/build-once.ts`) calls it: before any test file runs, so no file reads a dist/ that
 * tsup is emptying for another.
 */
export function buildIfStale(): void {
  const problem = distProblem();
  if (problem === null) return;
  console.warn(`[cx-accounts] ${problem}: building it once before the tests (npm run build)`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: packageRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}

/**
 * Refuses to test a dist/ that is missing or older than the sources (which would check
 * yesterday's code). Tests never build: files run in parallel, and a build empties dist/
 * for every other file (see `test/build-once.ts`, which builds before them).
 */
export function ensureBuilt(): void {
  const problem = distProblem();
  if (problem !== null) throw new Error(`${problem}: run \`npm run build\` (vitest's globalSetup does it before the tests)`);
}

/**
 * Packs the package with `npm pack` (exactly the files a user would download) and unpacks it
 * as `node_modules/cx-accounts` of a new temp folder, which it answers. Dependencies are not
 * installed there: resolve them from this checkout's node_modules (esbuild's `nodePaths`).
 */
export function packIntoTempProject(): string {
  ensureBuilt();
  const project = mkdtempSync(join(tmpdir(), 'cx-accounts-pack-'));
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }];
  const target = join(project, 'node_modules', 'cx-accounts');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, filename), '-C', target, '--strip-components=1']);
  return project;
}

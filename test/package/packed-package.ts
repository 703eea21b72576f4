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
  for (const folder of ['src', 'adapters', 'testing']) {
    for (const file of readdirSync(join(packageRoot, folder), { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.ts')) newest = Math.max(newest, statSync(join(packageRoot, folder, file)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds dist/ when it is missing, as a user's `npm pack` would find it after `npm run build`;
 * refuses to test a dist/ older than the sources (run `npm run build`), which would check
 * yesterday's code.
 */
export function ensureBuilt(): void {
  const marker = join(packageRoot, 'dist/esm/src/index.js');
  if (existsSync(marker)) {
    if (statSync(marker).mtimeMs < newestSource()) throw new Error('dist/ is older than the sources: run `npm run build` first');
    return;
  }
  console.warn('[cx-accounts] dist/ is missing: building it for the package test');
  const build = spawnSync('npm', ['run', 'build'], { cwd: packageRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
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

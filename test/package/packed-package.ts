import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder (the worktree root). */
export const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Builds dist/ when it is missing, as a user's `npm pack` would find it after `npm run build`. */
export function ensureBuilt(): void {
  if (existsSync(join(packageRoot, 'dist/esm/src/index.js'))) return;
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

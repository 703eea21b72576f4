/**
 * The 3-node Galera cluster of the Galera suite, driven through `scripts/galera-cluster.sh`.
 *
 * {@link galeraPrerequisites} tells at collection time whether the cluster can be started
 * here (mariadbd, the Galera library, rsync). {@link useGaleraCluster} starts it in
 * `beforeAll` — or reuses one already running, e.g. started by hand with the script — and in
 * `afterAll` stops only a cluster it started itself (the script stops its nodes by pid).
 *
 * Set `CX_GALERA_URLS` (comma-separated `mysql://…` URLs of three nodes) to test an existing
 * cluster instead; nothing is started or stopped then. Two runs at once on one machine
 * would share the default ports and folder: give the second its own `CX_GALERA_PORT`,
 * `CX_GALERA_GCOMM_PORT` and `CX_GALERA_DIR` (the script reads them too).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/galera-cluster.sh', import.meta.url));
const SQL_PORT = Number(process.env.CX_GALERA_PORT ?? 13306);

/** URLs of the three nodes' `test` databases. */
export const GALERA_NODE_URLS: readonly string[] = process.env.CX_GALERA_URLS
  ? process.env.CX_GALERA_URLS.split(',')
  : [0, 1, 2].map((index) => `mysql://root@127.0.0.1:${SQL_PORT + index}/test`);

/** `true`, or why the cluster cannot run on this machine. */
export function galeraPrerequisites(): true | string {
  if (process.env.CX_GALERA_URLS) return true;
  const needed = [
    process.env.CX_MARIADBD ?? '/usr/sbin/mariadbd',
    process.env.CX_GALERA_PROVIDER ?? '/usr/lib/galera/libgalera_smm.so',
    '/usr/bin/rsync',
  ];
  const missing = needed.filter((file) => !existsSync(file));
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const tool of ['mariadb', 'mariadb-install-db']) {
    if (!path.some((folder) => existsSync(join(folder, tool)))) missing.push(tool);
  }
  return missing.length === 0 ? true : `missing ${missing.join(', ')}`;
}

/**
 * Whether the Galera suite runs: a printed notice and `false` when the prerequisites are
 * missing, except under `CI=true`, where that throws so CI never skips it silently.
 */
export function galeraSuiteRuns(): boolean {
  const ready = galeraPrerequisites();
  if (ready === true) return true;
  if (process.env.CI === 'true') throw new Error(`[cx-accounts] the Galera suite cannot run under CI: ${ready}`);
  console.warn(`[cx-accounts] skipping the Galera suite: ${ready}`);
  return false;
}

async function clusterRunning(): Promise<boolean> {
  try {
    await run(SCRIPT, ['status'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the cluster before the file's tests (or reuses a running one) and stops it after
 * them if this file started it. Answers a function that resolves once the cluster is up.
 */
export function useGaleraCluster(): () => Promise<readonly string[]> {
  let ready: Promise<readonly string[]> | null = null;
  let startedHere = false;
  const start = async () => {
    if (process.env.CX_GALERA_URLS || (await clusterRunning())) return GALERA_NODE_URLS;
    const began = performance.now();
    try {
      await run(SCRIPT, ['start'], { timeout: 120_000 });
    } catch (error) {
      const output = error as { stdout?: string; stderr?: string; message?: string };
      throw new Error(`[cx-accounts] the Galera cluster did not start: ${output.stderr || output.message}`);
    }
    startedHere = true;
    console.log(`[cx-accounts galera] 3-node cluster started in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    return GALERA_NODE_URLS;
  };
  beforeAll(async () => {
    ready ??= start();
    await ready;
  }, 150_000);
  afterAll(async () => {
    if (startedHere) await run(SCRIPT, ['stop'], { timeout: 60_000 });
  }, 60_000);
  return () => (ready ??= start());
}

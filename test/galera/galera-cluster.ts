/**
 * The 3-node Galera cluster of the Galera suite, driven through `scripts/galera-cluster.sh`.
 *
 * {@link galeraPrerequisites} tells at collection time whether the cluster can be started
 * here (mariadbd, the Galera library, rsync). {@link useGaleraCluster} starts it in
 * `beforeAll` — or reuses one already running at the script's default place (ports 13306…,
 * folder /tmp/cx-galera, or `CX_GALERA_PORT`/`CX_GALERA_GCOMM_PORT`/`CX_GALERA_DIR`), e.g.
 * started by hand — and in `afterAll` stops only a cluster it started itself (the script
 * stops its nodes by pid).
 *
 * A cluster the suite starts has its own ports, free when chosen, and its own folder
 * (`mkdtemp`), so two test runs on one machine each start their own and never meet.
 *
 * Set `CX_GALERA_URLS` (comma-separated `mysql://…` URLs of three nodes) to test an existing
 * cluster instead; nothing is started or stopped then.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/galera-cluster.sh', import.meta.url));

/** URLs of the three nodes' `test` databases, for SQL ports `sqlPort`, +1, +2. */
function nodeUrls(sqlPort: number): string[] {
  return [0, 1, 2].map((index) => `mysql://root@127.0.0.1:${sqlPort + index}/test`);
}

/** Whether nothing listens on a loopback port (by listening on it for a moment). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports for a cluster of the script's layout, all free now: SQL at `sql`…`sql + 2`, Galera at
 * `gcomm + 10 × node` (+1 IST, +2 state transfer). Drawn at random below the ephemeral range
 * (32768…), so two runs that choose at the same moment almost never draw the same; a start
 * that still loses a port to another process is tried again with new ones.
 */
async function freeClusterPorts(): Promise<{ sql: number; gcomm: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const sql = 20_000 + 10 * Math.floor(Math.random() * 600);
    const gcomm = 26_000 + 30 * Math.floor(Math.random() * 200);
    const ports = [sql, sql + 1, sql + 2, ...[0, 10, 20].flatMap((step) => [gcomm + step, gcomm + step + 1, gcomm + step + 2])];
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return { sql, gcomm };
  }
  throw new Error('[cx-accounts] no free ports for the Galera cluster after 50 draws');
}

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

/** Whether a cluster runs at the script's default place (or the one `CX_GALERA_*` names). */
async function clusterRunning(): Promise<boolean> {
  try {
    await run(SCRIPT, ['status'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a cluster on free ports in a new folder; tries again with new ports when a node
 * could not bind its port (another process took it after it was chosen).
 */
async function startOwnCluster(): Promise<{ urls: readonly string[]; env: NodeJS.ProcessEnv }> {
  let lastError = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { sql, gcomm } = await freeClusterPorts();
    const dir = mkdtempSync(join(tmpdir(), 'cx-galera-'));
    const env = { ...process.env, CX_GALERA_DIR: dir, CX_GALERA_PORT: String(sql), CX_GALERA_GCOMM_PORT: String(gcomm) };
    try {
      await run(SCRIPT, ['start'], { timeout: 120_000, env });
      return { urls: nodeUrls(sql), env };
    } catch (error) {
      const output = error as { stdout?: string; stderr?: string; message?: string };
      lastError = output.stderr || output.message || 'no output';
      // The script's failed start stops its nodes and deletes the folder; make sure of the folder.
      rmSync(dir, { recursive: true, force: true });
      if (!/address already in use|bind|port/i.test(lastError)) break;
    }
  }
  throw new Error(`[cx-accounts] the Galera cluster did not start: ${lastError}`);
}

/**
 * Starts the cluster before the file's tests (or reuses a running one) and stops it after
 * them if this file started it. Answers a function that resolves to the nodes' URLs once the
 * cluster is up.
 */
export function useGaleraCluster(): () => Promise<readonly string[]> {
  let ready: Promise<readonly string[]> | null = null;
  /** The environment the script started our own cluster with, to stop exactly that one. */
  let startedWith: NodeJS.ProcessEnv | null = null;
  const start = async (): Promise<readonly string[]> => {
    if (process.env.CX_GALERA_URLS) return process.env.CX_GALERA_URLS.split(',');
    if (await clusterRunning()) return nodeUrls(Number(process.env.CX_GALERA_PORT ?? 13306));
    const began = performance.now();
    const { urls, env } = await startOwnCluster();
    startedWith = env;
    console.log(`[cx-accounts galera] 3-node cluster started on ${urls.map((url) => new URL(url).port).join(', ')} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    return urls;
  };
  beforeAll(async () => {
    ready ??= start();
    await ready;
  }, 400_000);
  afterAll(async () => {
    if (startedWith) await run(SCRIPT, ['stop'], { timeout: 60_000, env: startedWith });
  }, 60_000);
  return () => (ready ??= start());
}

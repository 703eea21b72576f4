/**
 * The runtimes of the matrix (R57) and how to get each: the host's Node, and Node 22 and 24,
 * Bun and Deno fetched on demand from the npm registry with `npx -p` (packages `node`, `bun`,
 * `deno`). They are not devDependencies — about 100 MB each would slow every `npm install` — and
 * npx keeps them in `~/.npm/_npx` after the first download, so later runs start at once.
 */
import { spawn } from 'node:child_process';
import type { SqliteDriverName } from '../../../adapters/sql/sqlite/drivers/sqlite-driver.js';

export type Runtime = {
  name: string;
  /** The command that runs a script: the script's path is appended. */
  command: readonly string[];
  /** The driver `openSqlite` picks by default there. */
  defaultDriver: SqliteDriverName;
};

const npx = (pkg: string, ...bin: string[]) => ['npx', '--prefer-offline', '-y', '-p', pkg, ...bin];

export const RUNTIMES: readonly Runtime[] = [
  { name: `Node ${process.versions.node} (host)`, command: [process.execPath], defaultDriver: 'better-sqlite3' },
  // better-sqlite3 is built for the host's Node 20: on 22 and 24 it does not load, and the
  // default falls back to node:sqlite, the embedded SQLite that needs no native build.
  { name: 'Node 22', command: npx('node@22', 'node'), defaultDriver: 'node:sqlite' },
  { name: 'Node 24', command: npx('node@24', 'node'), defaultDriver: 'node:sqlite' },
  { name: 'Bun 1', command: npx('bun@1', 'bun'), defaultDriver: 'bun:sqlite' },
  { name: 'Deno 2', command: npx('deno@2', 'deno', 'run', '-A'), defaultDriver: 'node:sqlite' },
];

export type Finished = { code: number | null; stdout: string; stderr: string };

/** Runs a command to its end (killed after `timeoutMs`), with a clean NODE_OPTIONS. */
export function runCommand(command: readonly string[], timeoutMs: number, cwd?: string): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Whether a runtime can be had here: `true`, or why not. The first call downloads it (npx),
 * which may take a minute.
 */
export async function runtimeAvailable(runtime: Runtime, timeoutMs = 300_000): Promise<true | string> {
  const probe = runtime.command.includes('deno') ? [...runtime.command.slice(0, -2), 'eval', 'console.log(1)'] : [...runtime.command, '-e', 'console.log(1)'];
  const finished = await runCommand(probe, timeoutMs);
  if (finished.code === 0 && finished.stdout.trim() === '1') return true;
  return `${runtime.command.join(' ')} did not run (exit ${String(finished.code)}): ${finished.stderr.trim().split('\n').slice(-3).join(' | ')}`;
}

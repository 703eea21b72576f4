/**
 * Runs an example the way a user would, `npx tsx examples/<name>`, in a child process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The tsx launcher of this repository: what `npx tsx` runs, without npx in between (signals reach it). */
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** What a finished example printed, and how it ended. */
export type ExampleRun = { code: number | null; stdout: string; stderr: string };

/** Runs `npx tsx <script>` to its end (or until `timeoutMs`) and answers its output. */
export function runExample(script: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ExampleRun> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', script],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Starts `tsx <script>` and waits until a line of its output matches `ready`; answers the
 * child and the match. The caller stops the child.
 */
export function startExample(
  script: string,
  ready: RegExp,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${script} did not print ${ready} within ${timeoutMs} ms; it printed:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} ended (code ${code}) before printing ${ready}:\n${output}`));
    });
  });
}

/** Stops a child started by {@link startExample} and waits for it to end. */
export function stopExample(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

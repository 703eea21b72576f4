/**
 * Child processes for the multi-process tests: a tsx script started with Node, its stdout
 * read line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The absolute path of a script in this folder. */
export function supportScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/** A running script: its process, the lines it printed so far, and a way to wait for one. */
export type RunningScript = {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves with the first line matching `pattern`, or rejects when the process exits without one. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (or the signal's name) and everything printed on stderr. */
  exited: Promise<{ code: number | string | null; stderr: string }>;
};

/** Starts a tsx script of this folder with `args`. */
export function runScript(name: string, args: string[]): RunningScript {
  const child = spawn(process.execPath, ['--import', 'tsx', supportScript(name), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${name} exited (${code ?? signal}) before printing ${waiter.pattern}: ${stderr}`));
      resolve({ code: code ?? signal, stderr });
    }),
  );
  return {
    child,
    lines,
    exited,
    waitForLine(pattern) {
      const found = lines.find((line) => pattern.test(line));
      if (found !== undefined) return Promise.resolve(found);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${name} has exited: ${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}

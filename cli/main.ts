#!/usr/bin/env node
/**
 * The `cx-accounts` command for operators: `migrate`, `backups run`, `events tail`. See
 * `run-cli.ts` and the command table in `cli-commands.ts`.
 *
 * @module
 */
import { runCli } from './run-cli.js';

// When the reader of the output goes away (`cx-accounts events tail … | head -1`), writes fail
// with EPIPE: the command stops quietly, exit code 0, instead of dying on an unhandled 'error'.
// Any other write failure stops it too, and is reported with exit code 1.
const outputClosed = new AbortController();
let outputFailed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED' && !outputFailed) {
    outputFailed = true;
    process.stderr.write(`cx-accounts: cannot write the output: ${error.message}\n`);
  }
  outputClosed.abort();
});
// A closed standard error has no one left to tell.
process.stderr.on('error', () => undefined);

const code = await runCli(process.argv.slice(2), {
  io: {
    out: (line) => {
      if (!outputClosed.signal.aborted) process.stdout.write(`${line}\n`);
    },
    error: (line) => process.stderr.write(`${line}\n`),
  },
  signals: process,
  env: process.env,
  outputClosed: outputClosed.signal,
});
process.exitCode = outputFailed ? Math.max(code, 1) : code;

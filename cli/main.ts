#!/usr/bin/env node
/**
 * The `cx-accounts` command for operators: `migrate` and `backups run`. See `run-cli.ts`.
 *
 * @module
 */
import { runCli } from './run-cli.js';

process.exitCode = await runCli(
  process.argv.slice(2),
  { out: (line) => process.stdout.write(`${line}\n`), error: (line) => process.stderr.write(`${line}\n`) },
  process,
  process.env,
);

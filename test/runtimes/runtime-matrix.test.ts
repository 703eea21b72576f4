/**
 * R57: the core, the memory store and the SQLite store on every runtime. The runtime suite
 * (`support/runtime-suite.ts`: the store conformance suite on the memory store and on SQLite,
 * the backup conformance on SQLite, the schedule functions, ids without `crypto.randomUUID`,
 * the R49 lock-wait cases) is bundled into one plain ES module and run by each runtime of
 * `support/runtimes.ts`, on the driver `openSqlite` picks there by default.
 *
 * A runtime that cannot be had (no network for the first download) prints a notice and is
 * skipped; under `CI=true` that is a failure.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitConcurrency } from '../limit-concurrency.js';
import { buildRuntimeSuite } from './support/build-runtime-suite.js';
import { RUNTIMES, runCommand, runtimeAvailable } from './support/runtimes.js';

const CI = process.env.CI === 'true';
/** A whole run of the suite, download included; generous, as the machine may be loaded. */
const RUN_TIMEOUT_MS = 900_000;

type Report = { runtime: string; driver: string; passed: number; failed: number; skipped: number; failures: { name: string; error: string }[] };

function resultOf(stdout: string): Report | null {
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  return line ? (JSON.parse(line.slice('RESULT '.length)) as Report) : null;
}

/**
 * Runtimes run at the same time, this many at once: each run is one process that mostly waits
 * on SQLite files and timers between short bursts, and one after another they made this the
 * longest file of `npm test` (102 s of runs for 5 runtimes on a quiet machine, vs the longest
 * run alone, Deno's, 40 s).
 */
const RUNTIMES_AT_ONCE = 3;

describe.concurrent('R57: the runtime suite on each runtime', () => {
  let bundle: string;
  /** Tests each runtime passed: all must pass as many. */
  const passed = new Map<string, number>();
  const turn = limitConcurrency(RUNTIMES_AT_ONCE);
  beforeAll(async () => {
    bundle = await buildRuntimeSuite();
  });
  afterAll(async () => {
    if (bundle) await rm(bundle, { force: true });
    expect(new Set(passed.values()).size, JSON.stringify(Object.fromEntries(passed))).toBeLessThanOrEqual(1);
  });

  for (const runtime of RUNTIMES) {
    it(`${runtime.name}: the core, the memory store and SQLite on ${runtime.defaultDriver}`, async ({ skip, expect }) => {
      // The suite runs at once; only when it gives no report is the runtime probed, to tell a
      // runtime that cannot be had (a skip, or a failure under CI) from a suite that broke.
      const finished = await turn(() => runCommand([...runtime.command, bundle, '--runs=20'], RUN_TIMEOUT_MS));
      const report = resultOf(finished.stdout);
      if (report === null) {
        const available = await runtimeAvailable(runtime);
        if (available !== true) {
          if (CI) throw new Error(`CI=true and ${runtime.name} cannot be had: ${available}`);
          console.warn(`[skip] ${runtime.name}: ${available}`);
          skip();
        }
      }
      expect(report, `${finished.stdout.slice(-3000)}\n${finished.stderr.slice(-3000)}`).not.toBeNull();
      console.log(`[runtimes] ${report!.runtime} on ${report!.driver}: ${report!.passed} passed, ${report!.failed} failed`);
      expect(report!.failures).toEqual([]);
      expect(report!.driver).toBe(runtime.defaultDriver);
      expect(finished.code).toBe(0);
      passed.set(runtime.name, report!.passed);
      expect(report!.passed).toBeGreaterThanOrEqual(190);
    }, RUN_TIMEOUT_MS + 300_000);
  }
});

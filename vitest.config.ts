import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import SlowestFirstSequencer from './test/slowest-first-sequencer.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // The tracer's version, as tsup.config.ts writes it into dist/ (src/telemetry/package-version.ts).
  define: { __CX_VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards, not budgets: two runs side by side with other work (load average 20–24)
    // took a fixed-size fault test past 60 s. Stress tests size their work to a time budget.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // dist/ is built here, once, before any file runs: files that read it run in parallel.
    globalSetup: ['test/build-once.ts'],
    // Most files wait on database servers and child processes rather than on the CPU; four at
    // a time keep a 2-core machine busy. Files share nothing they write: each makes its own
    // scratch databases (`cx_test_<random>`) and temp folders, and dist/ is built beforehand.
    maxWorkers: 4,
    // The slowest files start first, also in a fresh clone where vitest has no durations cached.
    sequence: { sequencer: SlowestFirstSequencer },
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most files wait on database servers and child processes rather than on the CPU: three
    // files at a time keep a 2-core machine busy without the suite taking twice as long.
    maxWorkers: 3,
  },
});

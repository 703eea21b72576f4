import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // dist/ is built here, once, before any file runs: files that read it run in parallel.
    globalSetup: ['test/build-once.ts'],
  },
});

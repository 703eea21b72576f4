import { describe, expect, it } from 'vitest';
import { createPostgresDatabase, POSTGRES_URL, postgresAvailable } from '../stores/sql-stores.js';
import { runExample } from './run-example.js';

const SCRIPT = 'examples/postgres.ts';

describe('examples/postgres.ts', () => {
  it('runs the scenario on a PostgreSQL server (skipped with a notice when none is reachable, except with CI=true)', async (context) => {
    const available = await postgresAvailable();
    if (available !== true) {
      if (process.env.CI === 'true') throw new Error(`CI=true but ${available}`);
      console.warn(`[skip] ${SCRIPT}: ${available}`);
      context.skip();
      return;
    }
    const database = await createPostgresDatabase(POSTGRES_URL);
    try {
      const run = await runExample(SCRIPT, { DATABASE_URL: database.url });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^Store: PostgreSQL at postgres:\/\/.*, domain example-[0-9a-f]{8}$/m);
      expect(run.stdout).toMatch(/✔ create "Help desk" \(id help[0-9a-f]{8}\): version 1, contact URL https:\/\//);
      expect(run.stdout).toMatch(/✘ create a second Basic account: product_unavailable/);
      expect(run.stdout).toMatch(/✘ add alex to help \(Basic has 2 seats\): seat_limit_exceeded/);
      expect(run.stdout).toMatch(/✔ overview: 2 active of 3 purchased — Basic 1\/1, Pro 1\/2/);
      expect(run.stdout).toMatch(/^Done\.$/m);

      // A second run on the same database works too: fresh IDs, earlier accounts were reset.
      const again = await runExample(SCRIPT, { DATABASE_URL: database.url });
      expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    } finally {
      await database.drop();
    }
  });

  it('exits with status 1 and says what to check when the database is unreachable', async () => {
    const run = await runExample(SCRIPT, { DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/nothing' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Cannot use PostgreSQL at postgres://postgres:***@127.0.0.1:1/nothing');
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
  });
});

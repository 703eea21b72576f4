/**
 * R49: several processes may open a new SQLite file at the same moment. Kysely's migrator
 * takes no lock on SQLite, so each process used to create the tables and all but one failed
 * with `table "cx_domains" already exists`.
 */
import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cxMigrations } from '../../adapters/sql/migrations/cx-migrations.js';
import { scratchDatabaseName } from './scratch-databases.js';
import { runScript } from './support/child-process.js';

// five child processes each load tsx and the store: on a loaded machine that start-up alone took 47 s: the test waits longer rather than failing a slow machine (no speed is asserted).
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const PROCESSES = 5;
const ROUNDS = 1;

describe('SQLite: processes opening one new file at once', () => {
  const files: string[] = [];
  afterAll(async () => {
    for (const file of files) for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
  });

  it('R49: every process opens the new file, migrates it once between them, and writes', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const file = join(tmpdir(), `${scratchDatabaseName()}.sqlite`);
      files.push(file);
      const workers = Array.from({ length: PROCESSES }, (_, index) => runScript('open-new-sqlite-file.ts', [file, `worker${index}`]));
      await Promise.all(workers.map((worker) => worker.waitForLine(/^ready$/)));
      // All loaded and waiting: let them go together.
      for (const worker of workers) worker.child.stdin.write('go\n');
      const exits = await Promise.all(workers.map((worker) => worker.exited));
      const outcomes = workers.map((worker) => worker.lines.at(-1));
      expect(outcomes, exits.map((exit) => exit.stderr).join('\n')).toEqual(Array.from({ length: PROCESSES }, () => 'opened'));
      expect(exits.map((exit) => exit.code)).toEqual(Array.from({ length: PROCESSES }, () => 0));

      const database = new Database(file, { readonly: true });
      try {
        // Each migration ran once between them all.
        const migrations = database.prepare('select name from cx_migrations order by name').all() as { name: string }[];
        expect(migrations.map((row) => row.name)).toEqual(Object.keys(cxMigrations));
        const products = database.prepare('select product_id from cx_products order by product_id').all() as { product_id: string }[];
        expect(products.map((row) => row.product_id)).toEqual(Array.from({ length: PROCESSES }, (_, index) => `worker${index}`));
      } finally {
        database.close();
      }
    }
  });
});

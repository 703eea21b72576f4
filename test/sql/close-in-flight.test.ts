/**
 * R49: `close()` settles every call in flight. A separate process makes many calls, closes the
 * store while they run, and awaits them at top level: a call left pending would end it with
 * exit code 13 (what PostgreSQL's pool did, leaving queued calls unanswered).
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAvailable, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';
import { createMysqlDatabase, createPostgresDatabase, scratchDatabaseName } from './scratch-databases.js';
import { runScript } from './support/child-process.js';

type Target = { name: string; kind: 'postgres' | 'mysql' | 'sqlite'; available: () => Promise<boolean>; create: () => Promise<{ target: string; drop: () => Promise<void> }> };

const targets: Target[] = [
  {
    name: 'PostgreSQL',
    kind: 'postgres',
    available: () => checkAvailable(postgresFactory),
    create: async () => {
      const database = await createPostgresDatabase();
      return { target: database.url, drop: database.drop };
    },
  },
  {
    name: 'MariaDB',
    kind: 'mysql',
    available: () => checkAvailable(mysqlFactory),
    create: async () => {
      const database = await createMysqlDatabase();
      return { target: database.url, drop: database.drop };
    },
  },
  {
    name: 'SQLite file',
    kind: 'sqlite',
    available: async () => true,
    create: async () => {
      const file = join(tmpdir(), `${scratchDatabaseName()}.sqlite`);
      return {
        target: file,
        drop: async () => {
          for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
        },
      };
    },
  },
];

for (const target of targets) {
  const available = await target.available();
  describe.skipIf(!available)(`${target.name}: close() with calls in flight`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const drop of drops) await drop().catch(() => undefined);
    });

    it('R49: every call made before close() settles and is carried out; calls after it answer store_failure', async () => {
      const database = await target.create();
      drops.push(database.drop);
      const script = runScript('close-in-flight.ts', [JSON.stringify({ kind: target.kind, target: database.target })]);
      const exited = await script.exited;
      expect(exited, exited.stderr).toMatchObject({ code: 0 });
      const summary = JSON.parse(script.lines.at(-1) ?? '{}') as { answers: string[]; stream: string; afterClose: string };
      expect(summary.answers).toEqual(Array.from({ length: 24 }, () => 'ok'));
      expect(summary.stream).toBe('ok');
      expect(summary.afterClose).toBe('store_failure');
    });
  });
}

/**
 * R49 for the delivery runner's records (R54): `recordWebhookDelivery` takes no domain lock, but
 * it waits for the endpoint's row, which a write of the domain may hold. That wait is bounded by
 * `lockTimeoutMs` like any other: a writer that holds the row and does not finish makes the
 * record fail with a `StoreError` within the bound, never hang; once the writer is done the
 * record goes through.
 */
import { ok } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openMysql } from '../../adapters/sql/mysql/open-mysql.js';
import { openPostgres } from '../../adapters/sql/postgres/open-postgres.js';
import type { ClosableStore } from '../../adapters/sql/store/open-migrated-store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { StoreError } from '../../src/ports/store-error.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { checkAvailable, mysqlFactory, postgresFactory } from '../stores/sql-stores.js';
import { createMysqlDatabase, createPostgresDatabase } from './scratch-databases.js';

const LOCK_TIMEOUT_MS = 500;

const targets = [
  {
    name: 'PostgreSQL',
    available: () => checkAvailable(postgresFactory),
    create: async () => {
      const database = await createPostgresDatabase();
      return { open: () => openPostgres({ connectionString: database.url }, { lockTimeoutMs: LOCK_TIMEOUT_MS }), drop: database.drop };
    },
  },
  {
    name: 'MariaDB',
    available: () => checkAvailable(mysqlFactory),
    create: async () => {
      const database = await createMysqlDatabase();
      return { open: () => openMysql({ uri: database.url }, { lockTimeoutMs: LOCK_TIMEOUT_MS }), drop: database.drop };
    },
  },
];

for (const target of targets) {
  const available = await target.available();
  describe.skipIf(!available)(`${target.name}: a delivery record behind a writer that holds its endpoint`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    it('R49 R54: recordWebhookDelivery fails with a StoreError within the lock bound, and goes through once the writer is done', async () => {
      const database = await target.create();
      cleanups.push(database.drop);
      const store: ClosableStore = await database.open();
      cleanups.push(() => store.close());
      const cx = createCxAccounts({
        store,
        directory: memoryDirectory([]),
        contactUrlBase: 'https://talk.example.com/add/',
        webhooks: { runner: 'manual', allowHttp: true, allowPrivateNetworks: true },
      });
      const endpoint = expectOk(await cx.webhooks.add('acme', { url: 'http://127.0.0.1:9/hook' }));
      const leaseUntil = new Date(Date.now() + 60_000);
      expectOk(
        await store.transaction('acme', 'write', async (tx) => {
          const hooks = tx.webhooks!();
          await hooks.updateEndpoint({ ...(await hooks.getEndpoint(endpoint.id))!, leaseToken: 'runner-a', leaseUntil });
          return ok(undefined);
        }),
      );
      const state = { deliveredSeq: 5, attempt: 0, nextAttemptAt: null, leaseToken: 'runner-a', leaseUntil };
      const attempt = { endpointId: endpoint.id, seq: 5, attempt: 1, at: new Date(), status: 204, error: null, durationMs: 2 };

      // A write of the domain that changes the endpoint's row and then waits, holding it.
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const writer = store.transaction('acme', 'write', async (tx) => {
        const hooks = tx.webhooks!();
        await hooks.updateEndpoint({ ...(await hooks.getEndpoint(endpoint.id))!, description: 'changed while a record waits' });
        holding();
        await finished;
        return ok(undefined);
      });
      await held;

      const started = performance.now();
      const refused = await store.recordWebhookDelivery!('acme', endpoint.id, 'runner-a', state, attempt).then(
        () => null,
        (error: unknown) => error,
      );
      const waited = performance.now() - started;
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).outcome).toBe('rolled_back');
      // MySQL counts its lock wait in whole seconds (1 s for 500 ms); far below a hang either way.
      expect(waited).toBeLessThan(LOCK_TIMEOUT_MS + 4000);
      expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items).toEqual([]);

      finish();
      expectOk(await writer);
      expect(await store.recordWebhookDelivery!('acme', endpoint.id, 'runner-a', state, attempt)).toBe(true);
      expect(expectOk(await cx.webhooks.deliveries('acme', endpoint.id)).items).toMatchObject([{ seq: 5, attempt: 1, status: 204 }]);
      const [listed] = expectOk(await cx.webhooks.list('acme'));
      expect(listed).toMatchObject({ description: 'changed while a record waits' });
    });
  });
}

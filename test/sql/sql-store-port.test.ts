/**
 * The SQL stores against the `Store` port directly, on all five backends: transactions,
 * uniqueness in the database, ordering, streaming, bytes, retries and failures. Where the
 * memory store answers the same script, its answer is the expected one.
 */
import { err, ok } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TRANSACTION_ATTEMPTS } from '../../adapters/sql/store/transaction-runner.js';
import { ruleError } from '../../src/errors.js';
import type { AccountListPosition, AccountListRow } from '../../src/ports/records.js';
import type { Store } from '../../src/ports/store.js';
import { checkAvailable, sqlStoreFactories, useSqlStoreCleanup, type SqlStoreFactory } from '../stores/sql-stores.js';
import {
  accountRecord,
  backupJobRecord,
  collect,
  historyRecord,
  onBothStores,
  outcome,
  read,
  write,
} from './store-records.js';

// PGlite runs PostgreSQL in WebAssembly on the CPU: on a loaded machine its start and statements wait for CPU time, legitimately: the test waits longer rather than failing a slow machine (no speed is asserted).
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

useSqlStoreCleanup();

const factories: SqlStoreFactory[] = [];
for (const factory of sqlStoreFactories) {
  if (await checkAvailable(factory)) factories.push(factory);
  else describe.skip(factory.name, () => {});
}

/** Bytes with a pattern (not a valid PNG: the port stores bytes, the operations check them). */
const pngLike = (size: number) => Uint8Array.from({ length: size }, (_, index) => (index * 31 + 7) & 0xff);

describe.each(factories)('SQL store port: $name', (factory) => {
  let store: Store & { close?(): Promise<void> };
  beforeEach(async () => {
    store = await factory.setup();
  });
  afterEach(async () => {
    await factory.teardown(store);
  });

  describe('transactions', () => {
    it('R28: commits work that answers ok, rolls back work that answers err', async () => {
      const kept = accountRecord({ domainId: 'acme', id: 'kept' });
      const dropped = accountRecord({ domainId: 'acme', id: 'dropped' });
      await write(store, 'acme', (tx) => tx.insertAccount(kept, null));
      const refused = await store.transaction('acme', 'write', async (tx) => {
        await tx.insertAccount(dropped, null);
        await tx.setProduct({ productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 1 });
        return err(ruleError('version_conflict', 'changed my mind'));
      });
      expect(outcome(refused)).toBe('version_conflict');
      expect(await read(store, 'acme', (tx) => tx.findAccount('kept'))).toMatchObject({ id: 'kept' });
      expect(await read(store, 'acme', (tx) => tx.findAccount('dropped'))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.listProducts())).toEqual([]);
    });

    it('R27: work that rejects rolls back and answers store_failure with the cause', async () => {
      const boom = new Error('boom');
      const result = await store.transaction('acme', 'write', async (tx) => {
        await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'partial' }), null);
        throw boom;
      });
      expect(result.isErr() && result.error).toMatchObject({ code: 'store_failure', cause: boom });
      expect(await read(store, 'acme', (tx) => tx.isAccountIdActive('partial'))).toBe(false);
    });

    it('R27: a failed statement rolls the transaction back even when work catches it and answers ok', async () => {
      const first = accountRecord({ domainId: 'acme', id: 'first' });
      await write(store, 'acme', (tx) => tx.insertAccount(first, null));
      const result = await store.transaction('acme', 'write', async (tx) => {
        await tx.setProduct({ productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 1 });
        // The same key again: the primary key refuses it.
        await tx.insertAccount({ ...first, id: 'second', name: 'Second', nameKey: 'second' }, null).catch(() => undefined);
        return ok('swallowed');
      });
      expect(outcome(result)).toBe('store_failure');
      expect(await read(store, 'acme', (tx) => tx.listProducts())).toEqual([]);
    });

    it('reruns work after a deadlock or serialization failure, at most 5 times', async () => {
      let runs = 0;
      const recovered = await store.transaction('acme', 'write', async (tx) => {
        runs += 1;
        await tx.setProduct({ productId: `p${runs}`, name: 'P', seatLimit: 1, quantity: 1 });
        if (runs < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01', errno: 1213 });
        return ok(runs);
      });
      expect(recovered._unsafeUnwrap()).toBe(3);
      // Only the third run's write stayed.
      expect((await read(store, 'acme', (tx) => tx.listProducts())).map((product) => product.productId)).toEqual(['p3']);

      runs = 0;
      const exhausted = await store.transaction('acme', 'write', async () => {
        runs += 1;
        throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      });
      expect(runs).toBe(MAX_TRANSACTION_ATTEMPTS);
      expect(exhausted.isErr() && exhausted.error).toMatchObject({ code: 'store_failure', message: expect.stringContaining('gave up after 5 attempts') });
    });

    it('updating what does not exist is a store_failure, not a silent no-op', async () => {
      const ghost = accountRecord({ domainId: 'acme', id: 'ghost' });
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.patchAccount(ghost.key, { description: 'x' }, 2))))).toBe('store_failure');
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.markReset(ghost.key, new Date(1), 2))))).toBe('store_failure');
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.attachBot('nobot', ghost.key, 'ghost'))))).toBe('store_failure');
      const job = backupJobRecord({ domainId: 'acme', jobId: 'nope' });
      expect(outcome(await store.transaction('acme', 'write', async (tx) => ok(await tx.cancelBackupJob(job.jobId))))).toBe('store_failure');
    });

    it('an account of another domain is refused by insertAccount', async () => {
      const result = await store.transaction('acme', 'write', async (tx) =>
        ok(await tx.insertAccount(accountRecord({ domainId: 'globex', id: 'elsewhere' }), null)),
      );
      expect(outcome(result)).toBe('store_failure');
    });
  });

  describe('uniqueness enforced by the database', () => {
    it('R6: inserting an active ID that another domain holds answers id_taken', async () => {
      await write(store, 'acme', (tx) => tx.insertAccount(accountRecord({ domainId: 'acme', id: 'help' }), null));
      const result = await store.transaction('globex', 'write', async (tx) =>
        ok(await tx.insertAccount(accountRecord({ domainId: 'globex', id: 'help' }), null)),
      );
      expect(result.isErr() && result.error).toMatchObject({ code: 'id_taken' });
      expect(await read(store, 'globex', (tx) => tx.findAccount('help'))).toBeNull();
    });

    it('R5: inserting or renaming to an active name key of the domain answers name_taken', async () => {
      await write(store, 'acme', (tx) => tx.insertAccount(accountRecord({ domainId: 'acme', id: 'one', name: 'Help' }), null));
      const other = accountRecord({ domainId: 'acme', id: 'two', name: 'Sales' });
      await write(store, 'acme', (tx) => tx.insertAccount(other, null));
      const inserted = await store.transaction('acme', 'write', async (tx) =>
        ok(await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'three', name: 'ｈｅｌｐ' }), null)),
      );
      expect(outcome(inserted)).toBe('name_taken');
      const renamed = await store.transaction('acme', 'write', async (tx) =>
        ok(await tx.patchAccount(other.key, { name: 'HELP', nameKey: 'help' }, 2)),
      );
      expect(outcome(renamed)).toBe('name_taken');
      expect(await read(store, 'acme', (tx) => tx.findAccount('two'))).toMatchObject({ name: 'Sales', version: 1 });
      // Another domain may use the name.
      await write(store, 'globex', (tx) => tx.insertAccount(accountRecord({ domainId: 'globex', id: 'four', name: 'Help' }), null));
    });

    it('R28: two concurrent inserts of one ID from two domains: one lands, the other is id_taken', async () => {
      for (let round = 0; round < 5; round++) {
        const id = `race${round}`;
        const results = await Promise.all(
          ['acme', 'globex'].map((domainId) =>
            store.transaction(domainId, 'write', async (tx) => {
              // Both check first, as the operations do; the database decides the race.
              if (await tx.isAccountIdActive(id)) return err(ruleError('id_taken', 'checked'));
              await tx.insertAccount(accountRecord({ domainId, id }), null);
              return ok(domainId);
            }),
          ),
        );
        expect(results.map(outcome).sort()).toEqual(['id_taken', 'ok']);
      }
    });

    it('R28: two concurrent inserts of one name in a domain: one lands, the other is name_taken', async () => {
      const results = await Promise.all(
        ['n1', 'n2', 'n3'].map((id) =>
          store.transaction('acme', 'write', async (tx) => {
            await tx.insertAccount(accountRecord({ domainId: 'acme', id, name: 'Desk' }), null);
            return ok(id);
          }),
        ),
      );
      expect(results.map(outcome).sort()).toEqual(['name_taken', 'name_taken', 'ok']);
    });

    it('R24: a reset frees the ID and the name; the reset account keeps its contacts and history', async () => {
      const first = accountRecord({ domainId: 'acme', id: 'help', name: 'Help' });
      await write(store, 'acme', async (tx) => {
        await tx.insertAccount(first, null);
        await tx.insertContact({
          accountKey: first.key,
          customerId: 'c1',
          name: 'Kim',
          channel: 'line',
          addedAt: new Date('2026-01-02T00:00:00.000Z'),
          welcomedAt: null,
          lastAutoReply: null,
        });
        await tx.appendHistory(historyRecord(first.key, '2026-01-02T01:00:00.000Z', 'hello'));
      });
      await write(store, 'acme', (tx) => tx.markReset(first.key, new Date('2026-01-03T00:00:00.000Z'), 2));
      const second = accountRecord({ domainId: 'globex', id: 'help', name: 'Help' });
      await write(store, 'globex', (tx) => tx.insertAccount(second, null));
      await write(store, 'acme', (tx) => tx.insertAccount(accountRecord({ domainId: 'acme', id: 'other', name: 'HELP' }), null));
      expect(await read(store, 'acme', (tx) => tx.findAccount('help'))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.findContact(first.key, 'c1'))).toMatchObject({ name: 'Kim' });
      expect((await read(store, 'acme', (tx) => tx.readHistory({}, null, 10))).map((row) => row.content)).toEqual(['hello']);
    });
  });

  describe('records round-trip as the memory store keeps them', () => {
    it('accounts: every field, instants exact to the millisecond (epoch, negative, far future)', async () => {
      const instants = ['1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2026-03-29T01:00:00.123Z', '+275760-09-13T00:00:00.000Z'];
      const { memory, sql } = await onBothStores(store, async (target) => {
        const found = [];
        for (const [index, at] of instants.entries()) {
          const account = accountRecord({
            domainId: 'acme',
            key: `k${index}`,
            id: `t${index}`,
            name: `Name ${index} 상담 😀`,
            activatedAt: new Date(at),
            description: index % 2 ? 'desc ✓' : null,
            image: index % 2 ? { fileName: 'logo.png', byteLength: 10, width: 4096, height: 1 } : null,
            agentIds: ['u3', 'u1', 'u2'],
            version: 7,
          });
          account.settings.holidays = [{ id: 'h1', start: '2026-05-05', end: '2026-05-06', label: '어린이날' }];
          account.settings.awayMessage = 'away\n"quoted" \\ back';
          await write(target, 'acme', (tx) => tx.insertAccount(account, null));
          found.push(await read(target, 'acme', (tx) => tx.findAccount(`t${index}`)));
        }
        return found;
      });
      expect(sql).toEqual(memory);
      expect(sql.map((account) => account!.activatedAt.toISOString())).toEqual(instants.map((at) => new Date(at).toISOString()));
    });

    it('products: listed in JavaScript order whatever the collation; usage counts active accounts only', async () => {
      await write(store, 'acme', async (tx) => {
        for (const productId of ['b', 'B', 'a', 'é', '_x', 'Z9']) await tx.setProduct({ productId, name: `P ${productId}`, seatLimit: 3, quantity: 5 });
        await tx.setProduct({ productId: 'b', name: 'Replaced', seatLimit: 4, quantity: 6 });
        await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'u1a', productId: 'b', agentIds: ['u1', 'u2'] }), null);
        await tx.insertAccount(accountRecord({ domainId: 'acme', id: 'u1b', productId: 'b', agentIds: ['u1', 'u2', 'u3'] }), null);
        const resetOne = accountRecord({ domainId: 'acme', id: 'u1c', productId: 'a', agentIds: ['u1', 'u2', 'u3', 'u4'] });
        await tx.insertAccount(resetOne, null);
        await tx.markReset(resetOne.key, new Date('2026-02-01T00:00:00.000Z'), 2);
      });
      // Another domain's product of the same id stays apart.
      await write(store, 'globex', (tx) => tx.setProduct({ productId: 'b', name: 'Globex B', seatLimit: 1, quantity: 1 }));
      const found = await read(store, 'acme', async (tx) => ({
        products: await tx.listProducts(),
        usage: [...(await tx.productUsage())].sort(),
        one: await tx.getProduct('b'),
        missing: await tx.getProduct('nope'),
      }));
      expect(found.products.map((product) => product.productId)).toEqual(['B', 'Z9', '_x', 'a', 'b', 'é']);
      expect(found.usage).toEqual([['b', { inUse: 2, maxAgents: 3 }]]);
      expect(found.one).toEqual({ productId: 'b', name: 'Replaced', seatLimit: 4, quantity: 6 });
      expect(found.missing).toBeNull();
    });

    it('agents: removals and appends keep the order and the count; access lists active accounts in list order', async () => {
      const one = accountRecord({ domainId: 'acme', key: 'ka', id: 'one', agentIds: ['u1', 'u2', 'u3'], activatedAt: new Date(2000) });
      const two = accountRecord({ domainId: 'acme', key: 'kb', id: 'two', agentIds: ['u2'], activatedAt: new Date(1000) });
      const gone = accountRecord({ domainId: 'acme', key: 'kc', id: 'gone', agentIds: ['u2'], activatedAt: new Date(500) });
      await write(store, 'acme', async (tx) => {
        await tx.insertAccount(one, null);
        await tx.insertAccount(two, null);
        await tx.insertAccount(gone, null);
        await tx.markReset(gone.key, new Date(3000), 2);
      });
      const steps: [('add' | 'remove'), string[], string[]][] = [
        ['remove', ['u2'], ['u1', 'u3']],
        ['add', ['u4', 'u5'], ['u1', 'u3', 'u4', 'u5']],
        ['remove', ['u3', 'u4'], ['u1', 'u5']],
        ['add', ['u2'], ['u1', 'u5', 'u2']],
        ['remove', ['u1', 'u5'], ['u2']],
      ];
      for (const [index, [change, members, expected]] of steps.entries()) {
        const inside = await write(store, 'acme', async (tx) => {
          if (change === 'add') await tx.addAgents(one.key, members);
          else await tx.removeAgents(one.key, members);
          // Every second step the version goes with the change; the count is right either way.
          if (index % 2 === 0) await tx.patchAccount(one.key, {}, 2 + index);
          return { list: await tx.listAccounts(null, 10), usage: await tx.productUsage() };
        });
        expect(inside.list.find((row) => row.id === 'one')!.agentCount).toBe(expected.length);
        const after = await read(store, 'acme', async (tx) => ({ account: (await tx.findAccount('one'))!, list: await tx.listAccounts(null, 10) }));
        expect(after.account.agentIds).toEqual(expected);
        expect(after.list.find((row) => row.id === 'one')!.agentCount).toBe(expected.length);
      }
      expect((await read(store, 'acme', (tx) => tx.findAccount('one')))!.version).toBe(6);
      // The reset account keeps its agent rows but gives no access (R17).
      expect(await read(store, 'acme', (tx) => tx.activeAccountIdsOfAgent('u2'))).toEqual(['two', 'one']);
      expect(await read(store, 'acme', (tx) => tx.activeAccountIdsOfAgent('u9'))).toEqual([]);
    });

    it('agents: thousands of agents are written and removed in batches, in order', async () => {
      const many = Array.from({ length: 2500 }, (_, index) => `member${index}`);
      const account = accountRecord({ domainId: 'acme', id: 'crowd', agentIds: many });
      await write(store, 'acme', (tx) => tx.insertAccount(account, null));
      const kept = many.filter((_, index) => index % 3 === 0);
      await write(store, 'acme', async (tx) => {
        await tx.removeAgents(account.key, many.filter((_, index) => index % 3 !== 0));
        await tx.addAgents(account.key, ['late1', 'late2']);
      });
      const found = await read(store, 'acme', async (tx) => ({ account: await tx.findAccount('crowd'), list: await tx.listAccounts(null, 1) }));
      expect(found.account!.agentIds).toEqual([...kept, 'late1', 'late2']);
      expect(found.list[0]!.agentCount).toBe(836);
    });

    it('images: bytes larger than a stored part round-trip; setAccountImage replaces info and bytes; null deletes both', async () => {
      const big = pngLike(2.5 * 1024 * 1024);
      const small = pngLike(100);
      const account = accountRecord({ domainId: 'acme', id: 'pic', image: { fileName: 'a.png', byteLength: big.length, width: 1, height: 1 } });
      await write(store, 'acme', (tx) => tx.insertAccount(account, big));
      const back = await read(store, 'acme', (tx) => tx.getAccountImage(account.key));
      expect(back).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(back)).toBe(false);
      expect(back!.length).toBe(big.length);
      expect(Buffer.compare(back!, big)).toBe(0);
      const info = { fileName: 'b.png', byteLength: small.length, width: 7, height: 9 };
      await write(store, 'acme', async (tx) => {
        await tx.setAccountImage(account.key, { info, data: small });
        await tx.patchAccount(account.key, {}, 2);
      });
      expect(await read(store, 'acme', (tx) => tx.getAccountImage(account.key))).toEqual(small);
      expect(await read(store, 'acme', (tx) => tx.findAccount('pic'))).toMatchObject({ image: info, version: 2 });
      await write(store, 'acme', (tx) => tx.patchAccount(account.key, { description: 'kept image' }, 3));
      expect(await read(store, 'acme', (tx) => tx.getAccountImage(account.key))).toEqual(small);
      await write(store, 'acme', (tx) => tx.setAccountImage(account.key, null));
      expect(await read(store, 'acme', (tx) => tx.getAccountImage(account.key))).toBeNull();
      expect(await read(store, 'acme', (tx) => tx.findAccount('pic'))).toMatchObject({ image: null, description: 'kept image' });
    });

    it('contacts, rooms and bots behave as in the memory store', async () => {
      const { memory, sql } = await onBothStores(store, async (target) => {
        const account = accountRecord({ domainId: 'acme', key: 'kr', id: 'rooms', agentIds: ['u1', 'u2', 'u3'] });
        const contact = {
          accountKey: account.key,
          customerId: 'c1',
          name: 'Kim',
          channel: 'mail' as const,
          addedAt: new Date('2026-01-02T00:00:00.001Z'),
          welcomedAt: new Date('2026-01-02T00:00:00.002Z'),
          lastAutoReply: { kind: 'holiday' as const, at: new Date('2026-01-02T00:00:00.003Z') },
        };
        const at = new Date('2026-01-05T00:00:00.000Z');
        await write(target, 'acme', async (tx) => {
          await tx.insertAccount(account, null);
          await tx.insertContact({ ...contact, lastAutoReply: null });
          await tx.patchContact(contact.accountKey, contact.customerId, { lastAutoReply: contact.lastAutoReply });
          // Same creation instant: insertion order decides.
          await tx.insertRoom({ accountKey: account.key, roomId: 'zz', kind: 'group', customerId: null, agentIds: ['u3', 'u1'], createdAt: at });
          await tx.insertRoom({ accountKey: account.key, roomId: 'aa', kind: 'consultation', customerId: 'c1', agentIds: ['u1', 'u2'], createdAt: at });
          await tx.insertRoom({ accountKey: account.key, roomId: 'mm', kind: 'group', customerId: null, agentIds: [], createdAt: new Date(0) });
          await tx.insertBot({ domainId: 'acme', botId: 'admin1', name: 'A', origin: 'admin', accountKey: account.key, accountId: 'rooms', createdAt: at });
          await tx.insertBot({ domainId: 'acme', botId: 'dev1', name: 'D', origin: 'dev_console', accountKey: account.key, accountId: 'rooms', createdAt: at });
          await tx.insertBot({ domainId: 'acme', botId: 'dev2', name: 'D2', origin: 'dev_console', accountKey: account.key, accountId: 'rooms', createdAt: at });
        });
        const before = await read(target, 'acme', async (tx) => ({
          contact: await tx.findContact(account.key, 'c1'),
          noContact: await tx.findContact(account.key, 'c2'),
          rooms: await tx.listRooms(account.key),
        }));
        const removed = await write(target, 'acme', async (tx) => {
          await tx.removeAgentFromRooms(account.key, 'u1');
          return tx.listRooms(account.key);
        });
        const reset = await write(target, 'acme', async (tx) => ({
          deletedRooms: await tx.deleteRooms(account.key),
          bots: await tx.resetBots(account.key),
          again: await tx.deleteRooms(account.key),
        }));
        const after = await read(target, 'acme', async (tx) => ({
          rooms: await tx.listRooms(account.key),
          admin: await tx.findBot('admin1'),
          dev: await tx.findBot('dev1'),
        }));
        const foreign = await read(target, 'globex', (tx) => tx.findBot('dev1'));
        return { before, removed, reset, after, foreign };
      });
      expect(sql).toEqual(memory);
      expect(sql.reset).toEqual({ deletedRooms: 3, bots: { deleted: 1, kept: 2 }, again: 0 });
      expect(sql.after.dev).toMatchObject({ accountKey: null, accountId: 'rooms' });
    });
  });

  describe('accounts.list keyset', () => {
    it('R10: pages in (activatedAt, id) order over ties, resets and other domains', async () => {
      const sql = await (async (target: Store) => {
        const times = [5, 1, 3, 3, 3, 1, 9, 0, 3, 7];
        const ids = ['e', 'b2', 'c10', 'c9', 'c1', 'b1', 'z', 'a', 'c2', 'y'];
        await write(target, 'acme', async (tx) => {
          for (const [index, id] of ids.entries()) {
            const account = accountRecord({ domainId: 'acme', id, activatedAt: new Date(times[index]! * 1000), agentIds: ['u1', 'u2'].slice(0, 1 + (index % 2)) });
            await tx.insertAccount(account, null);
            if (id === 'c9') await tx.markReset(account.key, new Date(10_000), 2);
          }
        });
        await write(target, 'globex', (tx) => tx.insertAccount(accountRecord({ domainId: 'globex', id: 'c3', activatedAt: new Date(3000) }), null));
        const pages: unknown[] = [];
        for (const limit of [1, 2, 3, 4, 7, 50]) {
          let after: AccountListPosition | null = null;
          const ids: string[] = [];
          for (let guard = 0; guard < 20; guard++) {
            const position: AccountListPosition | null = after;
            const rows: AccountListRow[] = await read(target, 'acme', (tx) => tx.listAccounts(position, limit));
            ids.push(...rows.map((row) => row.id));
            const last = rows[rows.length - 1];
            if (rows.length < limit || !last) break;
            after = { activatedAt: last.activatedAt, id: last.id };
          }
          pages.push({ limit, ids });
        }
        pages.push((await read(target, 'acme', (tx) => tx.listAccounts({ activatedAt: new Date(3000), id: 'c1' }, 3))).map((row) => row.id));
        return pages;
      })(store);
      const all = ['a', 'b1', 'b2', 'c1', 'c10', 'c2', 'e', 'y', 'z'];
      expect(sql).toEqual([...[1, 2, 3, 4, 7, 50].map((limit) => ({ limit, ids: all })), ['c10', 'c2', 'e']]);
    });
  });

  describe('backup files and jobs', () => {
    it('R26: chunks come back by seq; a chunk stored again replaces it; chunks over 1 MiB are split and joined', async () => {
      const big = pngLike(3 * 1024 * 1024 + 5);
      await store.appendBackupChunk('acme', 'job.1', 0, Uint8Array.of(1, 2, 3));
      await store.appendBackupChunk('acme', 'job.1', 1, big);
      await store.appendBackupChunk('acme', 'job.1', 2, new Uint8Array(0));
      await store.appendBackupChunk('acme', 'job.1', 3, Uint8Array.of(9));
      await store.appendBackupChunk('acme', 'job.1', 0, Uint8Array.of(4, 5));
      await store.appendBackupChunk('acme', 'job.2', 0, Uint8Array.of(7));
      await store.appendBackupChunk('globex', 'job.1', 0, Uint8Array.of(8));
      const chunks = await collect(store.readBackupChunks('acme', 'job.1'));
      expect(chunks.map((chunk) => chunk.length)).toEqual([2, big.length, 0, 1]);
      expect(chunks[0]).toEqual(Uint8Array.of(4, 5));
      expect(Buffer.compare(chunks[1]!, big)).toBe(0);
      expect(chunks.every((chunk) => !Buffer.isBuffer(chunk))).toBe(true);
      await store.deleteBackupChunks('acme', 'job.1');
      await store.deleteBackupChunks('acme', 'never');
      expect(await collect(store.readBackupChunks('acme', 'job.1'))).toEqual([]);
      expect(await collect(store.readBackupChunks('acme', 'job.2'))).toEqual([Uint8Array.of(7)]);
      expect(await collect(store.readBackupChunks('globex', 'job.1'))).toEqual([Uint8Array.of(8)]);
    });

    it('R25: jobs, and the runnable and expired queues across domains, as the memory store', async () => {
      const { memory, sql } = await onBothStores(store, async (target) => {
        const at = (seconds: number) => new Date(seconds * 1000);
        const jobs = [
          backupJobRecord({ domainId: 'acme', jobId: 'j-b', requestedAt: at(10) }),
          backupJobRecord({ domainId: 'globex', jobId: 'j-a', requestedAt: at(10) }),
          backupJobRecord({ domainId: 'acme', jobId: 'j-c', status: 'running', attempt: 1, startedAt: at(11), heartbeatAt: at(50), requestedAt: at(5) }),
          backupJobRecord({ domainId: 'acme', jobId: 'j-d', status: 'running', attempt: 2, startedAt: at(11), heartbeatAt: at(200), requestedAt: at(6) }),
          backupJobRecord({ domainId: 'acme', jobId: 'j-e', status: 'ready', attempt: 1, readyAt: at(60), byteLength: 2 ** 40, requestedAt: at(1) }),
          backupJobRecord({ domainId: 'globex', jobId: 'j-f', status: 'failed', attempt: 3, failureReason: 'stopped', requestedAt: at(2) }),
          backupJobRecord({ domainId: 'acme', jobId: 'j-g', status: 'ready', attempt: 1, readyAt: at(500), requestedAt: at(3) }),
        ];
        for (const job of jobs) await write(target, job.domainId, (tx) => tx.insertBackupJob(job));
        await write(target, 'acme', async (tx) => {
          const job = (await tx.getBackupJob('j-b'))!;
          await tx.claimBackupJob(job.jobId, { attempt: 1, at: at(40), watermark: 0 });
        });
        await write(target, 'acme', (tx) => tx.deleteBackupJob('j-g'));
        await write(target, 'acme', (tx) => tx.deleteBackupJob('missing'));
        return {
          runnable: await target.listRunnableBackupJobs(at(100), 10),
          runnableTwo: await target.listRunnableBackupJobs(at(100), 2),
          expired: await target.listExpiredBackupJobs(at(100), 10),
          one: await read(target, 'acme', (tx) => tx.getBackupJob('j-b')),
          foreign: await read(target, 'acme', (tx) => tx.getBackupJob('j-a')),
          deleted: await read(target, 'acme', (tx) => tx.getBackupJob('j-g')),
        };
      });
      expect(sql).toEqual(memory);
      expect(sql.runnable.map((job) => job.jobId)).toEqual(['j-c', 'j-a', 'j-b']);
      expect(sql.expired.map((job) => job.jobId)).toEqual(['j-e', 'j-f']);
    });
  });

  describe('failures', () => {
    it('R27: a closed store answers store_failure and never rejects', async () => {
      await write(store, 'acme', (tx) => tx.insertAccount(accountRecord({ domainId: 'acme', id: 'gone' }), null));
      await store.close?.();
      const result = await store.transaction('acme', 'read', async (tx) => ok(await tx.findAccount('gone')));
      expect(result.isErr() && result.error).toMatchObject({ code: 'store_failure', cause: expect.anything() });
      const written = await store.transaction('acme', 'write', async (tx) => ok(await tx.listProducts()));
      expect(outcome(written)).toBe('store_failure');
    });
  });
});


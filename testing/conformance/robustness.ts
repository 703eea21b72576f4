import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CxAccounts } from '../../src/cx-accounts.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { makeFixture, type Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';
import { snapshot } from './snapshot.js';

/** Every public operation, called with arbitrary arguments. */
function everyOperation(cx: CxAccounts): [string, (args: unknown[]) => PromiseLike<{ isOk(): boolean; isErr(): boolean }>][] {
  const call = (fn: (...args: never[]) => unknown) => (args: unknown[]) =>
    (fn as (...args: unknown[]) => PromiseLike<{ isOk(): boolean; isErr(): boolean }>)(...args);
  return [
    ['products.set', call(cx.products.set)],
    ['products.overview', call(cx.products.overview)],
    ['members.search', call(cx.members.search)],
    ['accounts.create', call(cx.accounts.create)],
    ['accounts.get', call(cx.accounts.get)],
    ['accounts.list', call(cx.accounts.list)],
    ['accounts.update', call(cx.accounts.update)],
    ['accounts.changeProduct', call(cx.accounts.changeProduct)],
    ['accounts.reset', call(cx.accounts.reset)],
    ['accounts.qrCode', call(cx.accounts.qrCode)],
    ['agents.add', call(cx.agents.add)],
    ['agents.remove', call(cx.agents.remove)],
    ['agents.access', call(cx.agents.access)],
    ['agents.set', call(cx.agents.set)],
    ['members.depart', call(cx.members.depart)],
    ['settings.update', call(cx.settings.update)],
    ['holidays.add', call(cx.holidays.add)],
    ['holidays.remove', call(cx.holidays.remove)],
    ['conversations.addContact', call(cx.conversations.addContact)],
    ['conversations.receiveMessage', call(cx.conversations.receiveMessage)],
    ['conversations.sendMessage', call(cx.conversations.sendMessage)],
    ['conversations.openRoom', call(cx.conversations.openRoom)],
    ['conversations.rooms', call(cx.conversations.rooms)],
    ['conversations.history', call(cx.conversations.history)],
    ['conversations.contacts', call(cx.conversations.contacts)],
    ['customers.erase', call(cx.customers.erase)],
    ['bots.register', call(cx.bots.register)],
    ['bots.list', call(cx.bots.list)],
    ['bots.attach', call(cx.bots.attach)],
    ['bots.remove', call(cx.bots.remove)],
    ['events.read', call(cx.events.read)],
    ['history.startBackup', call(cx.history.startBackup)],
    ['history.job', call(cx.history.job)],
    ['history.download', call(cx.history.download)],
  ];
}

/** The same store, except that the transaction method `method` rejects when called. */
function failingOn(store: Store, method: keyof StoreTransaction): Store {
  return {
    ...store,
    transaction: (domainId, mode, work) =>
      store.transaction(domainId, mode, (tx) =>
        work(
          new Proxy(tx, {
            get(target, key, receiver) {
              if (key === method) return async () => Promise.reject(new Error(`injected failure in ${method}`));
              const value = Reflect.get(target, key, receiver);
              return typeof value === 'function' ? value.bind(target) : value;
            },
          }),
        ),
      ),
  };
}

/** Operations whose third argument is an input (or options) to validate. */
const TAKES_INPUT = new Set([
  'accounts.update',
  'accounts.changeProduct',
  'accounts.qrCode',
  'agents.add',
  'agents.remove',
  'agents.set',
  'conversations.contacts',
  'settings.update',
  'holidays.add',
  'holidays.remove',
  'conversations.addContact',
  'conversations.receiveMessage',
  'conversations.sendMessage',
  'conversations.openRoom',
  'bots.register',
]);

/** Hostile values: wrong types, null, huge and ill-formed strings, prototype keys. */
const hostile = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.constantFrom(
    null,
    undefined,
    '\ud800',
    'help\udfff',
    'x'.repeat(100_000),
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { productId: 'basic', name: 'N', id: 'help', agentIds: ['u1'], constructor: 1 },
    { toString: () => { throw new Error('boom'); } },
    new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } }),
  ),
);

export function robustnessCases(fixture: () => Fixture, options: { runs: number }) {
  describe('robustness', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 10 });
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
    });

    it('R27: no operation throws or changes anything on hostile input', async () => {
      const before = await snapshot(f.cx);
      const operations = everyOperation(f.cx);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...operations.map((_, index) => index)),
          fc.array(hostile, { maxLength: 4 }),
          fc.boolean(),
          async (index, args, realTarget) => {
            // Half the calls to operations that take an input aim at the real account, so that
            // validation, not lookup, must refuse them.
            const [name, operation] = operations[index]!;
            const finalArgs = realTarget && TAKES_INPUT.has(name) ? ['acme', 'help', ...args.slice(0, 2)] : args;
            let result;
            try {
              result = await operation(finalArgs);
            } catch (error) {
              throw new Error(`${name} threw: ${String(error)}`);
            }
            expect(typeof result.isOk, name).toBe('function');
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        { numRuns: options.runs },
      );
      // Hostile calls may succeed only by accident of valid shapes (e.g. reads); the state must not change.
      expect(await snapshot(f.cx)).toEqual(before);
    });

    it('R27: a storage failure halfway through an operation is a store_failure and changes nothing', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u1', 'u2'] }));
      expectOk(await f.cx.bots.register('acme', 'help', { botId: 'faq', name: 'FAQ', origin: 'admin' }));
      const before = await snapshot(f.cx);
      // Reset deletes the rooms first, then fails on the bots: the deletion must not stay.
      const broken = makeFixture(failingOn(f.store, 'resetBots')).cx;
      const failure = expectErr(await broken.accounts.reset('acme', 'help'), 'store_failure');
      expect(failure.message).toContain('injected');
      // Removing an agent updates the account, then fails while leaving the rooms.
      expectErr(await makeFixture(failingOn(f.store, 'removeAgentFromRooms')).cx.agents.remove('acme', 'help', 'u2'), 'store_failure');
      // R30: the events are part of the transaction: when appending them fails, the change goes too.
      const noEvents = makeFixture(failingOn(f.store, 'appendEvents')).cx;
      expect(expectErr(await noEvents.agents.add('acme', 'help', ['u3']), 'store_failure').outcome).toBe('rolled_back');
      expectErr(await noEvents.accounts.reset('acme', 'help'), 'store_failure');
      expectErr(await noEvents.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'line' }), 'store_failure');
      expectErr(await makeFixture(failingOn(f.store, 'appendHistory')).cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'line' }), 'store_failure');
      expectErr(await makeFixture(failingOn(f.store, 'eraseCustomer')).cx.customers.erase('acme', 'c1'), 'store_failure');
      expect(await snapshot(f.cx)).toEqual(before);
    });

    it('R27: a defect inside the library is internal, never a store_failure, and changes nothing', async () => {
      const before = await snapshot(f.cx);
      // A store whose account record breaks the core's expectations (agentIds not a list).
      const odd: Store = {
        ...f.store,
        transaction: (domainId, mode, work) =>
          f.store.transaction(domainId, mode, (tx) =>
            work(
              new Proxy(tx, {
                get(target, key) {
                  const value = Reflect.get(target, key, target);
                  if (key === 'findAccount') {
                    return async (id: string) => {
                      const found = await (value as StoreTransaction['findAccount']).call(target, id);
                      return found && { ...found, agentIds: 42 };
                    };
                  }
                  return typeof value === 'function' ? value.bind(target) : value;
                },
              }),
            ),
          ),
      };
      const broken = makeFixture(odd).cx;
      const failure = expectErr(await broken.agents.add('acme', 'help', ['u3']), 'internal');
      expect(failure.message).toContain('internal error');
      expect(await snapshot(f.cx)).toEqual(before);
    });

    it('R27: unknown fields are validation errors, never ignored', async () => {
      const typo = expectErr(await f.cx.accounts.update('acme', 'help', { nmae: 'Typo' } as never), 'validation');
      expect(typo.issues[0]?.message).toContain('nmae');
      expectErr(await f.cx.settings.update('acme', 'help', { awayMesage: 'x' } as never), 'validation');
      expectErr(await f.cx.accounts.list('acme', { limit: 5, page: 2 } as never), 'validation');
      // A `__proto__` key as JSON.parse makes it: an own field, not a prototype.
      const withProtoKey = JSON.parse('{"productId":"basic","name":"N","id":"n","agentIds":["u3"],"__proto__":{}}');
      expectErr(await f.cx.accounts.create('acme', withProtoKey), 'validation');
    });

    it('R28: concurrent creates with one ID: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          f.cx.accounts.create('acme', { productId: 'basic', name: `Race ${index}`, id: 'race', agentIds: ['u3'] }),
        ),
      );
      expect(results.filter((result) => result.isOk())).toHaveLength(1);
      for (const result of results.filter((result) => result.isErr())) expectErr(result, 'id_taken');
    });

    it('R28: concurrent creates with one name: exactly one wins', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          f.cx.accounts.create('acme', { productId: 'basic', name: index % 2 ? 'SAME' : 'same', id: `n${index}`, agentIds: ['u3'] }),
        ),
      );
      expect(results.filter((result) => result.isOk())).toHaveLength(1);
      for (const result of results.filter((result) => result.isErr())) expectErr(result, 'name_taken');
    });

    it('R28: concurrent creates never exceed the product quantity', async () => {
      await seedProduct(f.cx, { productId: 'few', name: 'Few', seatLimit: 3, quantity: 3 });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          f.cx.accounts.create('acme', { productId: 'few', name: `Few ${index}`, id: `few${index}`, agentIds: ['u1'] }),
        ),
      );
      expect(results.filter((result) => result.isOk())).toHaveLength(3);
      const overview = expectOk(await f.cx.products.overview('acme'));
      expect(overview.products.find((product) => product.productId === 'few')?.inUse).toBe(3);
    });

    it('R28: concurrent agent adds never exceed the seat limit; removes never leave none', async () => {
      const adds = await Promise.all(['u3', 'u4', 'u5', 'u6'].map((id) => f.cx.agents.add('acme', 'help', [id])));
      expect(adds.filter((result) => result.isOk())).toHaveLength(1);
      const agents = expectOk(await f.cx.accounts.get('acme', 'help')).agentIds;
      expect(agents).toHaveLength(3);
      const removes = await Promise.all(agents.map((id) => f.cx.agents.remove('acme', 'help', id)));
      expect(removes.filter((result) => result.isOk())).toHaveLength(2);
      const after = expectOk(await f.cx.accounts.get('acme', 'help'));
      expect(after.agentIds).toHaveLength(1);
      expect(after.version).toBe(1 + 1 + 2);
    });

    it('R28: concurrent overlapping holidays: one lands', async () => {
      const results = await Promise.all(
        ['2026-12-01', '2026-12-02', '2026-12-03'].map((start) =>
          f.cx.holidays.add('acme', 'help', { start, end: '2026-12-05' }),
        ),
      );
      expect(results.filter((result) => result.isOk())).toHaveLength(1);
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).settings.holidays).toHaveLength(1);
    });

    it('R28: concurrent addContact welcomes a customer once', async () => {
      expectOk(await f.cx.settings.update('acme', 'help', { welcomeMessage: 'Hi' }));
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }),
        ),
      );
      expect(results.map((result) => expectOk(result)).filter((reply) => reply !== null)).toHaveLength(1);
    });
  });
}

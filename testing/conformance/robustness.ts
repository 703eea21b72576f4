import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import type { CxError } from '../../src/errors.js';
import type { Store, StoreTransaction } from '../../src/ports/store.js';
import { StoreError } from '../../src/ports/store-error.js';
import { CONTACT_URL_BASE, FIXTURE_MEMBERS, makeFixture, type Fixture } from '../conformance-fixture.js';
import { collect, parseBackup } from '../backup-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { hostileMaker, revokedMaker, throwingProxy, type Maker } from './hostile-values.js';
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
    ['history.cancel', call(cx.history.cancel)],
  ];
}

/**
 * Every public operation with arguments aimed at the fixture's real account (`acme`/`help`),
 * given `value` in one position: each position that holds an input, options or an id. A
 * well-formed value there makes the call valid; a hostile one must be refused by validation.
 */
function everyInputPosition(cx: CxAccounts): [string, (value: unknown) => PromiseLike<{ isOk(): boolean; isErr(): boolean; error?: CxError }>][] {
  type Answer = PromiseLike<{ isOk(): boolean; isErr(): boolean; error?: CxError }>;
  const at = (name: string, fn: (...args: never[]) => unknown, args: unknown[], position: number): [string, (value: unknown) => Answer] => [
    `${name} (argument ${position + 1})`,
    (value) => (fn as (...args: unknown[]) => Answer)(...args.map((arg, index) => (index === position ? (value === AS_WRITTEN ? arg : value) : arg))),
  ];
  const each = (name: string, fn: (...args: never[]) => unknown, args: unknown[]) => args.map((_, position) => at(name, fn, args, position));
  const account = { productId: 'basic', name: 'New', id: 'fresh', agentIds: ['u3'] };
  const message = { customerId: 'c1', content: 'hi', channel: 'line', messageId: 'm-1' };
  return [
    ...each('products.set', cx.products.set, ['acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 10 }]),
    ...each('products.overview', cx.products.overview, ['acme']),
    ...each('members.search', cx.members.search, ['acme', 'Agent', { limit: 5 }]),
    ...each('accounts.create', cx.accounts.create, ['acme', account]),
    ...each('accounts.get', cx.accounts.get, ['acme', 'help']),
    ...each('accounts.list', cx.accounts.list, ['acme', { limit: 5 }]),
    ...each('accounts.update', cx.accounts.update, ['acme', 'help', { description: 'x' }, { expectedVersion: 1 }]),
    ...each('accounts.changeProduct', cx.accounts.changeProduct, ['acme', 'help', 'basic']),
    ...each('accounts.reset', cx.accounts.reset, ['acme', 'help']),
    ...each('accounts.qrCode', cx.accounts.qrCode, ['acme', 'help', { format: 'svg' }]),
    ...each('agents.add', cx.agents.add, ['acme', 'help', ['u3']]),
    ...each('agents.remove', cx.agents.remove, ['acme', 'help', 'u2']),
    ...each('agents.access', cx.agents.access, ['acme', 'u1']),
    ...each('agents.set', cx.agents.set, ['acme', 'help', ['u1'], { expectedVersion: 1 }]),
    ...each('members.depart', cx.members.depart, ['acme', 'u2', { replacementId: 'u3' }]),
    ...each('settings.update', cx.settings.update, ['acme', 'help', { awayMessage: 'Away' }]),
    ...each('holidays.add', cx.holidays.add, ['acme', 'help', { start: '2026-12-24', end: '2026-12-25' }]),
    ...each('holidays.remove', cx.holidays.remove, ['acme', 'help', 'h1']),
    ...each('conversations.addContact', cx.conversations.addContact, ['acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }]),
    ...each('conversations.receiveMessage', cx.conversations.receiveMessage, ['acme', 'help', message]),
    ...each('conversations.sendMessage', cx.conversations.sendMessage, ['acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'hi', messageId: 'm-2' }]),
    ...each('conversations.openRoom', cx.conversations.openRoom, ['acme', 'help', { kind: 'group', agentIds: ['u1'] }]),
    ...each('conversations.rooms', cx.conversations.rooms, ['acme', 'help']),
    ...each('conversations.history', cx.conversations.history, ['acme', { limit: 5 }]),
    ...each('conversations.contacts', cx.conversations.contacts, ['acme', 'help', { limit: 5 }]),
    ...each('customers.erase', cx.customers.erase, ['acme', 'c1']),
    ...each('bots.register', cx.bots.register, ['acme', 'help', { botId: 'faq', name: 'FAQ', origin: 'admin' }]),
    ...each('bots.list', cx.bots.list, ['acme', { accountId: 'help' }]),
    ...each('bots.attach', cx.bots.attach, ['acme', 'faq', 'help']),
    ...each('bots.remove', cx.bots.remove, ['acme', 'faq']),
    ...each('events.read', cx.events.read, ['acme', { after: 0, limit: 5 }]),
    ...each('history.startBackup', cx.history.startBackup, ['acme', { format: 'jsonl' }]),
    ...each('history.job', cx.history.job, ['acme', 'job-1']),
    ...each('history.download', cx.history.download, ['acme', 'job-1']),
    ...each('history.cancel', cx.history.cancel, ['acme', 'job-1']),
    ...each('history.runPendingBackups', cx.history.runPendingBackups, [{ limit: 1 }]),
  ];
}

/** Given to a call of {@link everyInputPosition}: keeps the well-formed argument. */
const AS_WRITTEN = Symbol('as written');

/** Codes that hostile input must never produce: it is the caller's mistake, not the store's nor ours. */
const NEVER_FOR_BAD_INPUT = new Set(['store_failure', 'internal', 'directory_failure', 'config_invalid']);

/** The same store, except that the transaction method `method` rejects (with a `StoreError`, as stores must) when called. */
function failingOn(store: Store, method: keyof StoreTransaction): Store {
  return {
    ...store,
    transaction: (domainId, mode, work) =>
      store.transaction(domainId, mode, (tx) =>
        work(
          new Proxy(tx, {
            get(target, key, receiver) {
              if (key === method) return async () => Promise.reject(new StoreError(`injected failure in ${method}`));
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
            // Refused for what it is given (validation, or a lookup that finds nothing), never
            // blamed on the store or on a defect.
            const code = result.isErr() ? (result as unknown as { error: CxError }).error.code : 'ok';
            expect(NEVER_FOR_BAD_INPUT.has(code), `${name} answered ${code}`).toBe(false);
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        { numRuns: options.runs },
      );
      // Hostile calls may succeed only by accident of valid shapes (e.g. reads); the state must not change.
      expect(await snapshot(f.cx)).toEqual(before);
    });

    it('R27 R48: hostile values made inside the property (revoked proxies, extreme dates, invisible names, bad ids) are refused, never a store_failure', async () => {
      // (Some drawn values are valid where they land, e.g. `undefined` options, so calls may succeed.)
      const positions = everyInputPosition(f.cx);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...positions.map((_, index) => index)), hostileMaker, async (index, make: Maker) => {
          const [name, call] = positions[index]!;
          let result;
          try {
            result = await call(make());
          } catch (error) {
            throw new Error(`${name} threw: ${String(error)}`);
          }
          const code = result.isErr() ? result.error!.code : 'ok';
          expect(NEVER_FOR_BAD_INPUT.has(code), `${name} answered ${code}: ${result.error?.message}`).toBe(false);
        }),
        { numRuns: options.runs },
      );
    });

    it('R27: the calls of the hostile cases are well-formed as written (so validation refuses the hostile value, not the rest)', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      for (const [name, call] of everyInputPosition(f.cx)) {
        const result = await call(AS_WRITTEN);
        if (result.isErr()) expect(result.error!.code, `${name}: ${result.error!.message}`).not.toMatch(/^(validation|config_invalid|store_failure|internal)$/);
      }
    });

    it('R27: a revoked or throwing proxy as the whole input, options or id of every operation is a validation error', async () => {
      const before = await snapshot(f.cx);
      const positions = everyInputPosition(f.cx);
      for (const [name, call] of positions) {
        // fast-check cannot look into a revoked proxy: it draws the maker, the property makes the proxy.
        await fc.assert(
          fc.asyncProperty(fc.oneof(revokedMaker, fc.constant<Maker>(() => throwingProxy())), async (make: Maker) => {
            let result;
            try {
              result = await call(make());
            } catch (error) {
              throw new Error(`${name} threw: ${String(error)}`);
            }
            expect(result.isErr() && result.error!.code, `${name}: ${result.error?.code} ${result.error?.message}`).toBe('validation');
          }),
          { numRuns: 6 },
        );
      }
      expect(await snapshot(f.cx)).toEqual(before);
    });

    it('R48: a product id with a control character or a lone surrogate is a validation error on productId', async () => {
      for (const productId of ['q\u0000', '\ud800']) {
        const created = expectErr(await f.cx.accounts.create('acme', { productId, name: 'New', id: 'fresh', agentIds: ['u3'] }), 'validation');
        expect(created.issues.map((issue) => issue.path)).toEqual(['productId']);
        const changed = expectErr(await f.cx.accounts.changeProduct('acme', 'help', productId), 'validation');
        expect(changed.issues.map((issue) => issue.path)).toEqual(['productId']);
        expect(expectErr(await f.cx.products.set('acme', { productId, name: 'Q', seatLimit: 1, quantity: 1 }), 'validation').issues.map((issue) => issue.path)).toEqual(['productId']);
      }
    });

    it('R48: a message dated past year 9999 is a validation error on at, and a backup afterwards still succeeds', async () => {
      const cx = createCxAccounts({
        store: f.store,
        directory: memoryDirectory(FIXTURE_MEMBERS),
        contactUrlBase: CONTACT_URL_BASE,
        clock: f.now,
        backups: { runner: 'manual' },
      });
      // A zone 14 hours ahead of UTC: the last instant allowed is in year 10000 there.
      expectOk(await cx.settings.update('acme', 'help', { timeZone: 'Pacific/Kiritimati' }));
      expectOk(await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      for (const at of [new Date(8.64e15), new Date(-8.64e15), new Date(253402300800000), new Date(-1), new Date(Number.NaN)]) {
        const refused = expectErr(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'from far away', channel: 'line', at }), 'validation');
        expect(refused.issues.map((issue) => issue.path)).toEqual(['at']);
      }
      const lastSecond = new Date('9999-12-31T23:59:59.999Z');
      expectOk(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'late', channel: 'line', at: lastSecond }));
      expectOk(await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'first', channel: 'line', at: new Date(0) }));
      const job = expectOk(await cx.history.startBackup('acme'));
      expect(expectOk(await cx.history.runPendingBackups())).toMatchObject({ ready: 1, failed: 0 });
      expect(expectOk(await cx.history.job('acme', job.id))).toMatchObject({ status: 'ready', rowsTotal: 2 });
      const [, ...records] = parseBackup(await collect(expectOk(await cx.history.download('acme', job.id))));
      expect(records.map((record) => record[5])).toEqual(['first', 'late']);
      // Each sent_at reads back as the instant stored (ISO 8601 with the zone's offset of then).
      expect(records.map((record) => new Date(record[3]!).getTime())).toEqual([0, lastSecond.getTime()]);
    });

    it('R48: names blank to the eye or hiding text are a validation error on name (accounts.create, accounts.update, products.set)', async () => {
      for (const name of ['\u3164', 'a\u200Bb', 'He\u00ADlp', '\u202EpleH']) {
        const created = expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name, id: 'fresh', agentIds: ['u3'] }), 'validation');
        expect(created.issues.map((issue) => issue.path), JSON.stringify(name)).toEqual(['name']);
        const updated = expectErr(await f.cx.accounts.update('acme', 'help', { name }), 'validation');
        expect(updated.issues.map((issue) => issue.path), JSON.stringify(name)).toEqual(['name']);
        const product = expectErr(await f.cx.products.set('acme', { productId: 'other', name, seatLimit: 1, quantity: 1 }), 'validation');
        expect(product.issues.map((issue) => issue.path), JSON.stringify(name)).toEqual(['name']);
      }
    });

    it('R48: a control character in a botId, a lone surrogate in a holiday id, an actor of a NUL are validation errors', async () => {
      const bot = expectErr(await f.cx.bots.register('acme', 'help', { botId: 'faq\u0007', name: 'FAQ', origin: 'admin' }), 'validation');
      expect(bot.issues.map((issue) => issue.path)).toEqual(['botId']);
      expectErr(await f.cx.bots.attach('acme', 'faq\n', 'help'), 'validation');
      expectErr(await f.cx.bots.remove('acme', '\u0000'), 'validation');
      expectErr(await f.cx.holidays.remove('acme', 'help', '\udc00h1'), 'validation');
      expectErr(await f.cx.holidays.remove('acme', 'help', 'h\ud800'), 'validation');
      const nul = f.cx.as('\u0000');
      expectErr(await nul.products.overview('acme'), 'validation');
      expect(expectErr(await nul.agents.add('acme', 'help', ['u3']), 'validation').issues.map((issue) => issue.path)).toEqual(['actor']);
      expectErr(await f.cx.as('a\ud800').settings.update('acme', 'help', { awayMessage: 'x' }), 'validation');
    });

    it('R27 R48: a bad contactUrlBase makes every operation answer config_invalid', async () => {
      const before = await snapshot(f.cx);
      const bad = [' https://talk.example.com/add/', 'https://user:secret@talk.example.com/add/', 'https://talk.example.com/add', `https://talk.example.com/${'a'.repeat(2_400)}/`];
      for (const contactUrlBase of bad) {
        const cx = createCxAccounts({ store: f.store, directory: memoryDirectory(FIXTURE_MEMBERS), contactUrlBase, clock: f.now });
        for (const [name, call] of [...everyInputPosition(cx), ...everyInputPosition(cx.as('admin:u1'))]) {
          const result = await call(undefined);
          expect(result.isErr() && result.error!.code, `${name} with ${JSON.stringify(contactUrlBase.slice(0, 50))}`).toBe('config_invalid');
          const issues = (result.error as Extract<CxError, { code: 'config_invalid' }>).issues;
          expect(issues.map((issue) => issue.path)).toEqual(['options.contactUrlBase']);
        }
      }
      expect(await snapshot(f.cx)).toEqual(before);
    });

    it('R6: helpDesk is an ID, HelpDesk is not, helpdesk collides with it, and hELPDESK finds it', async () => {
      const created = expectOk(await f.cx.accounts.create('acme', { productId: 'basic', name: 'Desk', id: 'helpDesk', agentIds: ['u3'] }));
      expect(created.id).toBe('helpDesk');
      const capital = expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name: 'Desk 2', id: 'HelpDesk', agentIds: ['u3'] }), 'validation');
      expect(capital.issues.map((issue) => issue.path)).toEqual(['id']);
      expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name: 'Desk 3', id: 'helpdesk', agentIds: ['u3'] }), 'id_taken');
      expectErr(await f.cx.accounts.get('acme', 'HELPDESK'), 'validation');
      expect(expectOk(await f.cx.accounts.get('acme', 'hELPDESK'))).toMatchObject({ id: 'helpDesk', uid: created.uid });
      expect(expectOk(await f.cx.accounts.get('acme', 'helpdesk')).id).toBe('helpDesk');
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

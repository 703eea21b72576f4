import { describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';
import { DOMAIN_FREE_OPERATIONS } from '../../src/domain-handle.js';
import { FIXTURE_MEMBERS, CONTACT_URL_BASE } from '../../testing/conformance-fixture.js';
import { expectOk } from '../../testing/conformance/expectations.js';

const newCx = () =>
  createCxAccounts({
    store: memoryStore(),
    directory: memoryDirectory(FIXTURE_MEMBERS),
    contactUrlBase: CONTACT_URL_BASE,
    webhooks: { runner: 'manual' },
    backups: { runner: 'manual' },
  });

describe('cx.domain (R50)', () => {
  it('R50: every operation of a handle with an invalid domainId answers validation at domainId, and nothing is stored', async () => {
    const cx = newCx();
    // A domain id is opaque, 1–128 characters: an empty one is refused.
    const handle = cx.domain('');
    let called = 0;
    type Answer = { isErr(): boolean; error?: unknown };
    for (const [groupName, group] of Object.entries(handle as Record<string, Record<string, unknown>>)) {
      for (const [name, operation] of Object.entries(group)) {
        const answered = await (operation as (...args: unknown[]) => Promise<Answer>)({ productId: 'p', name: 'P', seatLimit: 1, quantity: 1 }, 'x', 'y');
        expect(answered.isErr(), `${groupName}.${name}`).toBe(true);
        expect(answered.error).toMatchObject({ code: 'validation', issues: [{ path: 'domainId' }] });
        called += 1;
      }
    }
    // Every group and operation of cx is on the handle, less those that act on every domain.
    const expected = Object.entries(cx)
      .filter(([, group]) => typeof group === 'object' && group !== null)
      .reduce((count, [groupName, group]) => {
        const skip: readonly string[] = (DOMAIN_FREE_OPERATIONS as Record<string, readonly string[]>)[groupName] ?? [];
        return count + Object.entries(group as object).filter(([name, operation]) => typeof operation === 'function' && !skip.includes(name)).length;
      }, 0);
    expect(called).toBe(expected);
    expect(called).toBeGreaterThan(40);
    expect(expectOk(await cx.products.overview('acme')).products).toEqual([]);
    expect(expectOk(await cx.events.read('acme')).events).toEqual([]);
  });

  it('R50: a valid handle binds its domain: what it writes is read through cx with that domainId, and not in another', async () => {
    const cx = newCx();
    const acme = cx.as('admin:u1').domain('acme');
    expectOk(await acme.products.set({ productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 2 }));
    expect(expectOk(await cx.products.overview('acme')).products.map((product) => product.productId)).toEqual(['basic']);
    expect(expectOk(await cx.products.overview('globex')).products).toEqual([]);
    expect(expectOk(await cx.events.read('acme')).events).toMatchObject([{ type: 'product.set', actor: 'admin:u1' }]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { expectErr, expectOk } from './expectations.js';
import type { Fixture } from '../conformance-fixture.js';
import { seedAccount, seedProduct } from './seed.js';

export function productsAndSeatsCases(fixture: () => Fixture) {
  describe('products and seats', () => {
    let f: Fixture;
    beforeEach(() => {
      f = fixture();
    });

    it('R1: sets a product and replaces it by id', async () => {
      const product = await seedProduct(f.cx, { name: 'Basic', seatLimit: 2, quantity: 1 });
      expect(product).toEqual({ productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 1 });
      await seedProduct(f.cx, { name: 'Basic plus', seatLimit: 4, quantity: 7 });
      const overview = expectOk(await f.cx.products.overview('acme'));
      expect(overview.products).toEqual([{ productId: 'basic', name: 'Basic plus', seatLimit: 4, quantity: 7, inUse: 0, available: 7 }]);
    });

    it('R1: refuses invalid products with issues naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ productId: '', name: 'B', seatLimit: 1, quantity: 1 }, 'productId'],
        [{ productId: 'x'.repeat(65), name: 'B', seatLimit: 1, quantity: 1 }, 'productId'],
        [{ productId: 'p', name: '', seatLimit: 1, quantity: 1 }, 'name'],
        [{ productId: 'p', name: 'n'.repeat(51), seatLimit: 1, quantity: 1 }, 'name'],
        [{ productId: 'p', name: 'B', seatLimit: 0, quantity: 1 }, 'seatLimit'],
        [{ productId: 'p', name: 'B', seatLimit: 1.5, quantity: 1 }, 'seatLimit'],
        [{ productId: 'p', name: 'B', seatLimit: 1, quantity: -1 }, 'quantity'],
        [{ productId: 'p', name: 'B', seatLimit: 1, quantity: 1, extra: true }, ''],
      ];
      for (const [input, path] of cases) {
        const error = expectErr(await f.cx.products.set('acme', input as never), 'validation');
        expect(error.issues.map((issue) => issue.path)).toContain(path);
      }
      expect(expectOk(await f.cx.products.overview('acme')).products).toEqual([]);
    });

    it('R1: refuses to lower quantity below the active accounts using the product', async () => {
      await seedProduct(f.cx, { quantity: 3 });
      await seedAccount(f.cx, { id: 'a1' });
      await seedAccount(f.cx, { id: 'a2' });
      expectErr(await f.cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 1 }), 'quantity_below_usage');
      expectOk(await f.cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 2 }));
      expect(expectOk(await f.cx.products.overview('acme')).products[0]).toMatchObject({ quantity: 2, inUse: 2 });
    });

    it('R2: overview counts purchases, use and active accounts per domain', async () => {
      await seedProduct(f.cx, { productId: 'basic', quantity: 3 });
      await seedProduct(f.cx, { productId: 'pro', name: 'Pro', seatLimit: 10, quantity: 2 });
      await seedProduct(f.cx, { productId: 'basic', quantity: 9 }, 'globex');
      await seedAccount(f.cx, { id: 'a1' });
      await seedAccount(f.cx, { id: 'a2', productId: 'pro' });
      await seedAccount(f.cx, { id: 'a3', productId: 'pro' });
      const overview = expectOk(await f.cx.products.overview('acme'));
      expect(overview.totalPurchased).toBe(5);
      expect(overview.activeAccounts).toBe(3);
      expect(overview.products.map((product) => [product.productId, product.inUse])).toEqual([
        ['basic', 1],
        ['pro', 2],
      ]);
      expectOk(await f.cx.accounts.reset('acme', 'a2'));
      const after = expectOk(await f.cx.products.overview('acme'));
      expect(after.activeAccounts).toBe(2);
      expect(after.products.find((product) => product.productId === 'pro')?.inUse).toBe(1);
      expect(expectOk(await f.cx.products.overview('globex'))).toMatchObject({ totalPurchased: 9, activeAccounts: 0 });
    });

    it('R3: creating needs a free unit of the product', async () => {
      await seedProduct(f.cx, { quantity: 1 });
      await seedAccount(f.cx, { id: 'a1' });
      expectErr(
        await f.cx.accounts.create('acme', { productId: 'basic', name: 'Second', id: 'a2', agentIds: ['u2'] }),
        'product_unavailable',
      );
      const missing = expectErr(
        await f.cx.accounts.create('acme', { productId: 'nope', name: 'Second', id: 'a2', agentIds: ['u2'] }),
        'not_found',
      );
      expect(missing.entity).toBe('product');
      expectErr(await f.cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 0 }), 'quantity_below_usage');
    });

    it('R3: moving to a product needs a free unit; an unknown product is not_found', async () => {
      await seedProduct(f.cx, { quantity: 2 });
      await seedProduct(f.cx, { productId: 'pro', name: 'Pro', seatLimit: 5, quantity: 1 });
      await seedAccount(f.cx, { id: 'a1' });
      await seedAccount(f.cx, { id: 'a2' });
      const moved = expectOk(await f.cx.accounts.changeProduct('acme', 'a1', 'pro'));
      expect(moved).toMatchObject({ productId: 'pro', productName: 'Pro', version: 2 });
      expectErr(await f.cx.accounts.changeProduct('acme', 'a2', 'pro'), 'product_unavailable');
      expect(expectErr(await f.cx.accounts.changeProduct('acme', 'a2', 'gold'), 'not_found').entity).toBe('product');
      expect(expectOk(await f.cx.accounts.get('acme', 'a2'))).toMatchObject({ productId: 'basic', version: 1 });
    });

    it('R4: seat limit holds at creation, on adding agents and on changing product', async () => {
      await seedProduct(f.cx, { seatLimit: 2 });
      await seedProduct(f.cx, { productId: 'solo', name: 'Solo', seatLimit: 1, quantity: 5 });
      expectErr(
        await f.cx.accounts.create('acme', { productId: 'basic', name: 'Big', id: 'big', agentIds: ['u1', 'u2', 'u3'] }),
        'seat_limit_exceeded',
      );
      await seedAccount(f.cx, { id: 'a1', agentIds: ['u1', 'u2'] });
      expectErr(await f.cx.agents.add('acme', 'a1', ['u3']), 'seat_limit_exceeded');
      expectErr(await f.cx.accounts.changeProduct('acme', 'a1', 'solo'), 'seat_limit_exceeded');
      const account = expectOk(await f.cx.accounts.get('acme', 'a1'));
      expect(account).toMatchObject({ agentIds: ['u1', 'u2'], productId: 'basic', version: 1 });
    });

    it('R4: refuses to lower a seat limit below the agents of an account on the product', async () => {
      await seedProduct(f.cx, { seatLimit: 3 });
      await seedAccount(f.cx, { id: 'a1', agentIds: ['u1', 'u2', 'u3'] });
      expectErr(await f.cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 5 }), 'seat_limit_exceeded');
      expect(expectOk(await f.cx.products.overview('acme')).products[0]?.seatLimit).toBe(3);
    });
  });
}

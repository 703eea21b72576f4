import type { Account } from '../../src/accounts/account-view.js';
import type { CxAccounts } from '../../src/cx-accounts.js';
import { expectOk } from './expectations.js';

/** Sets a product in `acme` (defaults: seat limit 3, 5 units). */
export async function seedProduct(
  cx: CxAccounts,
  overrides: Partial<{ productId: string; name: string; seatLimit: number; quantity: number }> = {},
  domainId = 'acme',
) {
  return expectOk(
    await cx.products.set(domainId, { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 5, ...overrides }),
  );
}

/** Creates an account in `acme` on product `basic` (seeded first when `withProduct`). */
export async function seedAccount(
  cx: CxAccounts,
  overrides: Partial<{ id: string; name: string; agentIds: string[]; productId: string }> = {},
  domainId = 'acme',
): Promise<Account> {
  const id = overrides.id ?? 'help';
  return expectOk(
    await cx.accounts.create(domainId, {
      productId: overrides.productId ?? 'basic',
      name: overrides.name ?? `Desk ${id}`,
      id,
      agentIds: overrides.agentIds ?? ['u1'],
    }),
  );
}

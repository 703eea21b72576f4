import { err, ok, type Result } from 'neverthrow';
import { directoryFailure, notFound, seatLimitExceeded, unitsError, type CxError } from '../errors.js';
import { readStoredSettings } from './stored-settings.js';
import type { MemberDirectory } from '../ports/member-directory.js';
import type { AccountRecord, ProductRecord } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import { toAccount, type Account } from './account-view.js';

/** The active account of the transaction's domain, or `not_found` (R13). */
export async function loadAccount(tx: StoreTransaction, accountId: string): Promise<Result<AccountRecord, CxError>> {
  const account = await tx.findAccount(accountId);
  return account ? ok({ ...account, settings: readStoredSettings(account.settings) }) : err(notFound('account', accountId));
}

/** The product of the transaction's domain, or `not_found` (R3). */
export async function loadProduct(tx: StoreTransaction, productId: string): Promise<Result<ProductRecord, CxError>> {
  const product = await tx.getProduct(productId);
  return product ? ok(product) : err(notFound('product', productId));
}

/**
 * The public view of an account, with its product's name and seat limit. `known`: the
 * product when the operation read it already (it is not read again when it is the account's).
 */
export async function viewAccount(tx: StoreTransaction, account: AccountRecord, known?: ProductRecord): Promise<Account> {
  const product = known?.productId === account.productId ? known : await tx.getProduct(account.productId);
  // Products are never deleted; the fallbacks only guard a store that lost one.
  return toAccount(account, product?.name ?? account.productId, product?.seatLimit ?? account.agentIds.length);
}

/** Fails with `product_unavailable` unless one more account fits on the product (R3). */
export async function checkProductHasRoom(tx: StoreTransaction, product: ProductRecord): Promise<Result<void, CxError>> {
  const inUse = (await tx.productUsage()).get(product.productId)?.inUse ?? 0;
  if (inUse < product.quantity) return ok(undefined);
  return err(
    unitsError('product_unavailable', product.productId, product.quantity, inUse, `product ${JSON.stringify(product.productId)} has no free unit: ${inUse} of ${product.quantity} in use`,
    ),
  );
}

/** Fails with `seat_limit_exceeded` when `agentCount` agents do not fit the product (R4). */
export function checkSeats(product: ProductRecord, agentCount: number): Result<void, CxError> {
  if (agentCount <= product.seatLimit) return ok(undefined);
  return err(
    seatLimitExceeded(product.productId, product.seatLimit, agentCount, `${agentCount} agents do not fit product ${JSON.stringify(product.productId)}: its seat limit is ${product.seatLimit}`,
    ),
  );
}

/** Fails with `not_found` (entity `member`) for the first id the directory does not know (R9, R15). */
export async function checkMembers(
  directory: MemberDirectory,
  domainId: string,
  memberIds: readonly string[],
): Promise<Result<void, CxError>> {
  let members: unknown;
  try {
    members = await directory.get(domainId, memberIds);
  } catch (cause) {
    return err(directoryFailure(cause));
  }
  if (!Array.isArray(members)) return err(directoryFailure(new TypeError('MemberDirectory.get did not answer a list')));
  const found = new Set(members.map((member: { id?: unknown } | null) => member?.id));
  const missing = memberIds.find((id) => !found.has(id));
  return missing === undefined ? ok(undefined) : err(notFound('member', missing));
}

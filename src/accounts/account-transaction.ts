import { err, type Result } from 'neverthrow';
import type { CxError } from '../errors.js';
import type { AccountRecord } from '../ports/records.js';
import type { Store, StoreTransaction, TransactionMode } from '../ports/store.js';
import { accountIdSchema, domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { loadAccount } from './account-lookup.js';

/**
 * Validates a `(domainId, accountId)` target, then runs `work` on the active account inside one
 * transaction of that domain: the shape shared by every operation on one account. An account
 * of another domain, or a reset one, is `not_found` (R13).
 */
export async function inAccountTransaction<T>(
  store: Store,
  domainId: unknown,
  accountId: unknown,
  mode: TransactionMode,
  work: (account: AccountRecord, tx: StoreTransaction) => Promise<Result<T, CxError>>,
): Promise<Result<T, CxError>> {
  const domain = parseInput(domainIdSchema, domainId, 'domainId');
  if (domain.isErr()) return err(domain.error);
  const account = parseInput(accountIdSchema, accountId, 'accountId');
  if (account.isErr()) return err(account.error);
  return store.transaction(domain.value, mode, async (tx) => {
    const found = await loadAccount(tx, account.value);
    return found.isErr() ? err(found.error) : work(found.value, tx);
  });
}

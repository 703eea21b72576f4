import { type Result } from 'neverthrow';
import type { CxError } from '../errors.js';
import type { AccountRecord } from '../ports/records.js';
import type { Store, StoreTransaction, TransactionMode } from '../ports/store.js';
import { transact } from '../run-transaction.js';
import { accountIdSchema, domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { loadAccount } from './account-lookup.js';
import { straight, type Take } from '../internal/straight.js';

/**
 * Validates a `(domainId, accountId)` target, then runs `work` on the active account inside one
 * transaction of that domain: the shape shared by every operation on one account. An account
 * of another domain, or a reset one, is `not_found` (R13). `work` gets the transaction's
 * `take`: an `err` it meets ends the work, rolled back.
 */
export function inAccountTransaction<T>(
  store: Store,
  domainId: unknown,
  accountId: unknown,
  mode: TransactionMode,
  work: (account: AccountRecord, tx: StoreTransaction, take: Take<CxError>) => PromiseLike<Result<T, CxError>>,
): PromiseLike<Result<T, CxError>> {
  return straight(async (take) => {
    const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
    const id = take(parseInput(accountIdSchema, accountId, 'accountId'));
    return await transact(store, domain, mode, async (tx, takeInTransaction) => {
      const account = takeInTransaction(await loadAccount(tx, id));
      return await work(account, tx, takeInTransaction);
    });
  });
}

import { err, ok, type Result } from 'neverthrow';
import { ruleError, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import { accountIdSchema, domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { versionOptionsSchema } from './account-fields.js';
import { loadAccount, viewAccount } from './account-lookup.js';
import type { Account } from './account-view.js';

/**
 * Options of the operations that change an account (R12).
 *
 * @category Accounts
 */
export type ChangeOptions = {
  /** Refuse the change with `version_conflict` unless the account is at this version. */
  expectedVersion?: number;
};

/**
 * Runs a change of one account: validates the target, loads the account under the write
 * lock, checks `expectedVersion`, applies `change`, raises the version and stores it.
 * A `change` that answers `null` changes nothing: no write, no new version.
 *
 * @category Accounts
 */
export function changeAccount(
  context: OperationContext,
  domainId: unknown,
  accountId: unknown,
  options: unknown,
  change: (
    account: AccountRecord,
    tx: StoreTransaction,
  ) => Result<AccountRecord | null, CxError> | Promise<Result<AccountRecord | null, CxError>>,
): Promise<Result<Account, CxError>> {
  return (async () => {
    const domain = parseInput(domainIdSchema, domainId, 'domainId');
    if (domain.isErr()) return err(domain.error);
    const account = parseInput(accountIdSchema, accountId, 'accountId');
    if (account.isErr()) return err(account.error);
    const parsedOptions = parseInput(versionOptionsSchema, options, 'options');
    if (parsedOptions.isErr()) return err(parsedOptions.error);
    return context.store.transaction(domain.value, 'write', async (tx) => {
      const found = await loadAccount(tx, account.value);
      if (found.isErr()) return err(found.error);
      const expected = parsedOptions.value?.expectedVersion;
      if (expected !== undefined && expected !== found.value.version) {
        return err(ruleError('version_conflict', `account is at version ${found.value.version}, not ${expected}`));
      }
      const changed = await change(found.value, tx);
      if (changed.isErr()) return err(changed.error);
      // `null`: nothing to change, so no write and no new version.
      if (changed.value === null) return ok(await viewAccount(tx, found.value));
      const next = { ...changed.value, version: found.value.version + 1 };
      await tx.updateAccount(next);
      return ok(await viewAccount(tx, next));
    });
  })();
}


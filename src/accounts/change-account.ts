import { err, ok, type Result } from 'neverthrow';
import { ruleError, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import { parseInput } from '../validation/parse-input.js';
import { versionOptionsSchema } from './account-fields.js';
import { viewAccount } from './account-lookup.js';
import { inAccountTransaction } from './account-transaction.js';
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
 * What a change of an account answers: the changed account; the changed account with new image
 * bytes (`null` deletes them); or `null` when nothing changes.
 */
export type AccountChange = AccountRecord | { account: AccountRecord; imageData: Uint8Array | null } | null;

/** Fails with `version_conflict` when `expected` is given and is not the account's version (R12). */
export function checkExpectedVersion(account: AccountRecord, expected: number | undefined): Result<void, CxError> {
  if (expected === undefined || expected === account.version) return ok(undefined);
  return err(ruleError('version_conflict', `account is at version ${account.version}, not ${expected}`));
}

/**
 * Runs a change of one account: validates the target, loads the account under the write
 * lock, checks `expectedVersion`, applies `change`, raises the version and stores it.
 * A `change` that answers `null` changes nothing: no write, no new version (see {@link AccountChange}).
 *
 * @category Accounts
 */
export function changeAccount(
  context: OperationContext,
  domainId: unknown,
  accountId: unknown,
  options: unknown,
  change: (account: AccountRecord, tx: StoreTransaction) => Result<AccountChange, CxError> | Promise<Result<AccountChange, CxError>>,
): Promise<Result<Account, CxError>> {
  return (async () => {
    const parsedOptions = parseInput(versionOptionsSchema, options, 'options');
    if (parsedOptions.isErr()) return err(parsedOptions.error);
    return inAccountTransaction(context.store, domainId, accountId, 'write', async (current, tx) => {
      const version = checkExpectedVersion(current, parsedOptions.value?.expectedVersion);
      if (version.isErr()) return err(version.error);
      const changed = await change(current, tx);
      if (changed.isErr()) return err(changed.error);
      // `null`: nothing to change, so no write and no new version.
      if (changed.value === null) return ok(await viewAccount(tx, current));
      const { account, imageData } = 'account' in changed.value ? changed.value : { account: changed.value, imageData: undefined };
      const next = { ...account, version: current.version + 1 };
      await tx.updateAccount(next, imageData);
      return ok(await viewAccount(tx, next));
    });
})();
}


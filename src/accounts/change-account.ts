import { err, ok, type Result } from 'neverthrow';
import { ruleError, type CxError } from '../errors.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountPatch, AccountRecord, EventDraft, ProductRecord, StoredImage } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import { parseInput } from '../validation/parse-input.js';
import { versionOptionsSchema } from './account-fields.js';
import { viewAccount } from './account-lookup.js';
import { inAccountTransaction } from './account-transaction.js';
import type { Account } from './account-view.js';
import { straight, type Take } from '../internal/straight.js';

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
 * What a change of an account decides, for the store to write: fields to set, a new image (or
 * `null` to remove it), agents to take off and to add, and the events that tell it (R30).
 */
export type AccountChange = {
  patch?: AccountPatch;
  image?: StoredImage | null;
  removeAgents?: readonly string[];
  addAgents?: readonly string[];
  events: readonly EventDraft[];
  /** The product `decide` read, if it did: the answer's view takes it instead of reading it again. */
  product?: ProductRecord;
};

/** Fails with `version_conflict` when `expected` is given and is not the account's version (R12). */
export function checkExpectedVersion(account: AccountRecord, expected: number | undefined): Result<void, CxError> {
  if (expected === undefined || expected === account.version) return ok(undefined);
  return err(ruleError('version_conflict', `account is at version ${account.version}, not ${expected}`));
}

/** The account as it is once `change` is written at `version` (pure). */
export function applyAccountChange(account: AccountRecord, change: AccountChange, version: number): AccountRecord {
  const removed = new Set(change.removeAgents ?? []);
  return {
    ...account,
    ...change.patch,
    image: change.image === undefined ? account.image : (change.image?.info ?? null),
    agentIds: [...account.agentIds.filter((id) => !removed.has(id)), ...(change.addAgents ?? [])],
    version,
  };
}

/** Writes a decided change through the store's intents, with its events, at `version`. */
export async function writeAccountChange(tx: StoreTransaction, account: AccountRecord, change: AccountChange, version: number): Promise<void> {
  await tx.patchAccount(account.key, change.patch ?? {}, version);
  if (change.image !== undefined) await tx.setAccountImage(account.key, change.image);
  if (change.removeAgents && change.removeAgents.length > 0) await tx.removeAgents(account.key, change.removeAgents);
  if (change.addAgents && change.addAgents.length > 0) await tx.addAgents(account.key, change.addAgents);
  await tx.appendEvents(change.events);
}

/**
 * Runs a change of one account: validates the target, loads the account under the write
 * lock, checks `expectedVersion`, lets `decide` say what changes, then writes it with its
 * events and a version raised by 1. A `decide` that answers `null` changes nothing: no write,
 * no event, no new version.
 *
 * @category Accounts
 */
export function changeAccount(
  context: OperationContext,
  domainId: unknown,
  accountId: unknown,
  options: unknown,
  decide: (account: AccountRecord, tx: StoreTransaction, take: Take<CxError>) => Result<AccountChange | null, CxError> | PromiseLike<Result<AccountChange | null, CxError>>,
): PromiseLike<Result<Account, CxError>> {
  return straight(async (take) => {
    const parsedOptions = take(parseInput(versionOptionsSchema, options, 'options'));
    return await inAccountTransaction(context.store, domainId, accountId, 'write', async (current, tx, takeInTransaction) => {
      takeInTransaction(checkExpectedVersion(current, parsedOptions?.expectedVersion));
      const change = takeInTransaction(await decide(current, tx, takeInTransaction));
      if (change === null) return ok(await viewAccount(tx, current));
      const version = current.version + 1;
      await writeAccountChange(tx, current, change, version);
      return ok(await viewAccount(tx, applyAccountChange(current, change, version), change.product));
    });
  });
}

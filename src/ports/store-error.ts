import { describeCause } from '../internal/describe-cause.js';
import { storeFailure, type CxError, type StoreFailureOutcome } from '../errors.js';

/**
 * What a store throws, or rejects with, when storage fails: a method of a
 * {@link StoreTransaction} that cannot do its work, or a transaction that cannot commit.
 * Operations tell a store's failure from a defect of their own by this type alone: a
 * `StoreError` rolls the transaction back and the call answers `store_failure` with its
 * `outcome`; anything else that escapes a store call is answered as `internal`.
 *
 * `cause` keeps what the driver reported; `outcome` says whether the change may have been
 * kept (`unknown`: the connection was lost while committing, R27).
 *
 * @example
 * ```ts
 * import { StoreError } from 'cx-accounts/store';
 *
 * async function readRow(query: () => Promise<unknown>): Promise<unknown> {
 *   try {
 *     return await query();
 *   } catch (cause) {
 *     throw new StoreError('reading the account failed', { cause });
 *   }
 * }
 * ```
 *
 * @category Stores
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** Whether the change may have been kept: `rolled_back` unless the store says otherwise. */
  readonly outcome: StoreFailureOutcome;

  constructor(message: string, options: { cause?: unknown; outcome?: StoreFailureOutcome } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.outcome = options.outcome ?? 'rolled_back';
  }
}

/**
 * `thrown` as a {@link StoreError}: itself when it is one, else a `StoreError` whose `cause`
 * it is (a driver's rejection, say).
 *
 * @example
 * ```ts
 * import { asStoreError } from 'cx-accounts/store';
 *
 * const failure = asStoreError(new Error('connection reset'));
 * console.log(failure.message); // "storage failed: connection reset"
 * ```
 *
 * @category Stores
 */
export function asStoreError(thrown: unknown, outcome?: StoreFailureOutcome): StoreError {
  if (thrown instanceof StoreError) return thrown;
  return new StoreError(`storage failed: ${describeCause(thrown)}`, outcome ? { cause: thrown, outcome } : { cause: thrown });
}

/**
 * The `store_failure` a store answers for a {@link StoreError} (its message, its outcome, and
 * the driver's error as `cause`), or for any other value that failed its transaction.
 *
 * @example
 * ```ts
 * import { StoreError, storeFailureOf } from 'cx-accounts/store';
 *
 * const failure = storeFailureOf(new StoreError('disk full'));
 * console.log(failure.code); // "store_failure"
 * ```
 *
 * @category Stores
 */
export function storeFailureOf(thrown: unknown): CxError {
  if (!(thrown instanceof StoreError)) return storeFailure(thrown);
  return storeFailure('cause' in thrown ? thrown.cause : thrown, thrown.message, thrown.outcome);
}

import { err, type Result } from 'neverthrow';
import { internalError, type CxError } from './errors.js';
import { straight, type Take } from './internal/straight.js';
import type { OperationContext } from './operation-context.js';
import { StoreError } from './ports/store-error.js';
import type { Store, StoreTransaction, TransactionMode } from './ports/store.js';

/**
 * Runs `work` in one transaction of `domainId` (read, decide, write). `work` gets its own
 * `take` (see `internal/straight.ts`): the first `err` it meets ends the work with that `err`,
 * and the store rolls back. A {@link StoreError} (what store methods fail with) is left to the
 * store, which rolls back and answers `store_failure`; any other throw inside `work` is a
 * defect of ours: rolled back all the same, answered as `internal`.
 */
export function transact<T>(
  store: Store | Pick<OperationContext, 'store'>,
  domainId: string,
  mode: TransactionMode,
  work: (tx: StoreTransaction, take: Take<CxError>) => PromiseLike<Result<T, CxError>>,
): Promise<Result<T, CxError>> {
  const target = 'transaction' in store ? store : store.store;
  return target.transaction(domainId, mode, (tx) => straight<T, CxError>((take) => work(tx, take)).catch(storeOrInternal));
}

function storeOrInternal(error: unknown): Result<never, CxError> {
  if (error instanceof StoreError) throw error;
  return err(internalError(error));
}

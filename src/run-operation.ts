import { err, ResultAsync, type Result } from 'neverthrow';
import { storeFailure, type CxError } from './errors.js';

/**
 * Turns the body of a public operation into a `ResultAsync` that never rejects: a throw or a
 * rejection that escapes (a bug, or a host callback that failed) becomes a `store_failure`.
 */
export function runOperation<T>(body: () => Promise<Result<T, CxError>>): ResultAsync<T, CxError> {
  const guarded = (async (): Promise<Result<T, CxError>> => {
    try {
      return await body();
    } catch (cause) {
      return err(storeFailure(cause, `unexpected failure: ${describe(cause)}`));
    }
  })();
  return new ResultAsync(guarded);
}

function describe(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return 'unreadable error';
  }
}

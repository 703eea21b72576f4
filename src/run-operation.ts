import { err, ResultAsync, type Result } from 'neverthrow';
import { internalError, type CxError } from './errors.js';

/**
 * Turns the body of a public operation into a `ResultAsync` that never rejects. A throw or
 * rejection that escapes is a defect of ours, so it becomes `internal` (storage failures and
 * directory failures are turned into values before they get here).
 */
export function runOperation<T>(body: () => PromiseLike<Result<T, CxError>>): ResultAsync<T, CxError> {
  const guarded = (async (): Promise<Result<T, CxError>> => {
    try {
      return await body();
    } catch (cause) {
      return err(internalError(cause));
    }
  })();
  return new ResultAsync(guarded);
}

import { err, ResultAsync, type Result } from 'neverthrow';
import { internalError, type CxError } from './errors.js';
import { earlyErr } from './internal/straight.js';

/**
 * Turns the body of a public operation into a `ResultAsync` that never rejects. A throw or
 * rejection that escapes is a defect of ours, so it becomes `internal` (storage failures and
 * directory failures are turned into values before they get here); an early `err` of `take`
 * (`internal/straight.ts`) is answered as it is, so a body may use `take` directly.
 */
export function runOperation<T>(body: () => PromiseLike<Result<T, CxError>>): ResultAsync<T, CxError> {
  const guarded = (async (): Promise<Result<T, CxError>> => {
    try {
      return await body();
    } catch (cause) {
      // An early `err` of `take` (see `straight`) is the answer; anything else is a defect.
      return earlyErr<CxError>(cause) ?? err(internalError(cause));
    }
  })();
  return new ResultAsync(guarded);
}

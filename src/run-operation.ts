import { err, ResultAsync, type Result } from 'neverthrow';
import { internalError, type CxError } from './errors.js';
import { straight, type Take } from './internal/straight.js';

/**
 * Turns the body of a public operation into a `ResultAsync` that never rejects. The body gets
 * its own `take` (see `internal/straight.ts`): the first `err` it meets is the answer. A throw
 * or rejection that escapes is a defect of ours, so it becomes `internal` (storage failures
 * and directory failures are turned into values before they get here).
 */
export function runOperation<T>(body: (take: Take<CxError>) => PromiseLike<Result<T, CxError>>): ResultAsync<T, CxError> {
  return new ResultAsync(straight(body).catch((cause: unknown) => err(internalError(cause))));
}

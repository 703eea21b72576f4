import type { Result } from 'neverthrow';
import { expect } from 'vitest';
import type { CxError } from '../../src/errors.js';

/** The variant of {@link CxError} that carries `code` (rule codes share one variant). */
export type ErrorWithCode<C extends CxError['code']> = CxError extends infer E
  ? E extends { code: infer K }
    ? C extends K
      ? E & { code: C }
      : never
    : never
  : never;

/** The value of an `ok` result; fails the test, showing the error, otherwise. */
export function expectOk<T>(result: Result<T, CxError>): T {
  if (result.isErr()) {
    expect.fail(`expected ok, got ${result.error.code}: ${result.error.message}`);
  }
  return result.value;
}

/** The error of an `err` result, checked to have `code`; fails the test otherwise. */
export function expectErr<T, C extends CxError['code']>(
  result: Result<T, CxError>,
  code: C,
): ErrorWithCode<C> {
  if (result.isOk()) expect.fail(`expected ${code}, got ok: ${JSON.stringify(result.value)?.slice(0, 200)}`);
  expect(result.error.code, result.error.message).toBe(code);
  return result.error as ErrorWithCode<C>;
}

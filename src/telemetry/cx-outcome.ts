import type { Span } from '@opentelemetry/api';
import type { Result } from 'neverthrow';
import type { CxError } from '../errors.js';
import { markFailed } from './in-span.js';

/**
 * The codes that mean a call could not be served: the span is in error. A rule's refusal
 * (`seat_limit_exceeded`, `validation`, `not_found`, …) is an answer the caller acts on, like an
 * HTTP server's 4xx: the span stays unset, and `cx.outcome` names the code.
 */
export const FAILURE_CODES: ReadonlySet<CxError['code']> = new Set<CxError['code']>(['store_failure', 'directory_failure', 'internal', 'config_invalid']);

/**
 * Records an operation's answer on its span, after the OpenTelemetry conventions for errors:
 * `cx.outcome` is `ok` or the error code; a failure ({@link FAILURE_CODES}) also sets
 * `error.type` to its code and the status to `ERROR`, and one with a cause (`store_failure`,
 * `directory_failure`, `internal`) records it as an `exception` event.
 */
export function recordCxOutcome(span: Span, result: Result<unknown, CxError>): void {
  if (result.isOk()) {
    span.setAttribute('cx.outcome', 'ok');
    return;
  }
  const error = result.error;
  span.setAttribute('cx.outcome', error.code);
  if (!FAILURE_CODES.has(error.code)) return;
  markFailed(span, error.code, error.message, 'cause' in error ? error.cause : undefined);
}

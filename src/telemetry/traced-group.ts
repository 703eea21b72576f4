import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ResultAsync, type Result } from 'neverthrow';
import type { CxError } from '../errors.js';

/** Error codes that mean the call could not be served (a span in error), not a rule's refusal. */
const FAILURE_CODES = new Set<CxError['code']>(['store_failure', 'directory_failure', 'internal', 'config_invalid']);

/**
 * The operations of a group, each wrapped in one OpenTelemetry span named
 * `cx.<group>.<operation>` (e.g. `cx.accounts.create`), through the standard
 * `@opentelemetry/api`: with no tracer provider registered the API's tracer is a no-op and the
 * operation runs as it is. Attributes carry no personal data: `cx.domain_id` (the first
 * argument, when it is a string) and `cx.outcome` (`ok` or the error code). Storage,
 * directory, internal and configuration failures set the span's status to error; a rule's
 * refusal (`seat_limit_exceeded`, …) is an answer, not an error.
 */
export function tracedGroup<G extends object>(groupName: string, group: G): G {
  const traced: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(group)) {
    traced[name] = typeof operation === 'function' ? tracedOperation(`cx.${groupName}.${name}`, operation as (...args: unknown[]) => unknown) : operation;
  }
  return traced as G;
}

function tracedOperation(spanName: string, operation: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const span = trace.getTracer('cx-accounts').startSpan(spanName);
    // No provider: a non-recording span, and nothing more to do.
    if (!span.isRecording()) return operation(...args);
    if (typeof args[0] === 'string') span.setAttribute('cx.domain_id', args[0]);
    const answer = operation(...args);
    if (!(answer instanceof ResultAsync)) {
      span.end();
      return answer;
    }
    const settled = (async () => {
      const result = await (answer as ResultAsync<unknown, CxError>);
      endSpan(span, result);
      return result;
    })();
    return new ResultAsync(settled);
  };
}

function endSpan(span: Span, result: Result<unknown, CxError>): void {
  if (result.isOk()) {
    span.setAttribute('cx.outcome', 'ok');
  } else {
    span.setAttribute('cx.outcome', result.error.code);
    if (FAILURE_CODES.has(result.error.code)) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.code });
  }
  span.end();
}

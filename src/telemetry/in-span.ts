import {
  context,
  createContextKey,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { describeCause } from '../internal/describe-cause.js';
import { PACKAGE_VERSION } from './package-version.js';

/** The instrumentation scope of every span of this package. */
const TRACER_NAME = 'cx-accounts';

/** Where {@link detached} keeps the span a background task was started under. */
const ORIGIN = createContextKey('cx-accounts: the span a background task was started under');

/**
 * How a span is started: its kind (`INTERNAL` unless said) and the attributes known before the
 * work runs (sampling may read them).
 */
export type SpanStart = { kind?: SpanKind; attributes?: Attributes };

/**
 * Runs `work` in a new span of the `cx-accounts` tracer (with this package's version), made the
 * active span while `work` runs: spans that a database driver, the host's member directory or
 * `fetch` start meanwhile are its children. `settle` records the outcome on the span when
 * `work`'s promise fulfils; a rejection or throw is recorded as an exception with status
 * `ERROR` and `error.type` (the error's name), then passed on. The span ends either way.
 *
 * Only `@opentelemetry/api` is used: the host's SDK provides the tracer and the context
 * manager (AsyncLocalStorage on Node, Zone.js or none in a browser); with none registered
 * this costs a no-op span. Outside any span, a task {@link detached} from one gets a link to it.
 *
 * For a runner of its own (a webhook delivery, say): `inSpan('cx.webhooks.deliver', { kind:
 * SpanKind.CLIENT, attributes }, () => deliver(...), recordCxOutcome)`.
 */
export function inSpan<T>(name: string, start: SpanStart, work: () => PromiseLike<T>, settle: (span: Span, value: T) => void): Promise<T> {
  const opened = openSpan(name, start);
  if (opened === null) return Promise.resolve(work());
  const { span, within } = opened;
  let running: PromiseLike<T>;
  try {
    running = context.with(within, work);
  } catch (thrown) {
    endThrown(span, thrown);
    return Promise.reject(thrown);
  }
  return Promise.resolve(running).then(
    (value) => {
      try {
        settle(span, value);
      } finally {
        span.end();
      }
      return value;
    },
    (thrown: unknown) => {
      endThrown(span, thrown);
      throw thrown;
    },
  );
}

/**
 * Starts a span of the `cx-accounts` tracer under the active context, and answers it with the
 * context to run the work in; or `null`, having ended it, when it records nothing and making
 * it active would change nothing (no tracer provider registered, so the API answers the
 * active span context or none): the work then runs as it is, at no cost (`sql-agents.bench.ts`
 * prints the overhead).
 */
export function openSpan(name: string, start: SpanStart): { span: Span; within: Context } | null {
  const active = context.active();
  const parent = trace.getSpan(active);
  const origin = parent === undefined ? (active.getValue(ORIGIN) as SpanContext | undefined) : undefined;
  const links: Link[] = origin ? [{ context: origin }] : [];
  const span = trace
    .getTracer(TRACER_NAME, PACKAGE_VERSION)
    .startSpan(name, { kind: start.kind ?? SpanKind.INTERNAL, ...(start.attributes ? { attributes: start.attributes } : {}), links }, active);
  if (!span.isRecording()) {
    const own = span.spanContext();
    // A sampled-out span of an SDK has an id of its own: it stays active, so the spans started
    // under it are sampled out alike.
    if (!isSpanContextValid(own) || own.spanId === parent?.spanContext().spanId) {
      span.end();
      return null;
    }
  }
  return { span, within: trace.setSpan(active, span) };
}

/**
 * Marks a span failed by `cause`: status `ERROR` with `message`, `error.type` set to
 * `errorType`, and `cause` recorded as an `exception` event when there is one (its type,
 * message and stack; our own messages never quote a customer's name or words, a driver's may
 * quote the statement but not the values bound to it).
 */
export function markFailed(span: Span, errorType: string, message: string, cause?: unknown): void {
  span.setAttribute('error.type', errorType);
  if (cause !== undefined) span.recordException(cause instanceof Error ? cause : describeCause(cause));
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

function endThrown(span: Span, thrown: unknown): void {
  const errorType = thrown instanceof Error ? thrown.name : '_OTHER';
  markFailed(span, errorType, describeCause(thrown), thrown);
  span.end();
}

/**
 * Wraps a task that runs later in the background (the in-process backup runner's queue) so
 * that it runs outside the span that queued it: a span it starts is a root linked to that
 * span, not a child of a request that has long ended.
 */
export function detached<T>(task: () => T): () => T {
  const origin = trace.getSpanContext(context.active());
  const start = origin ? ROOT_CONTEXT.setValue(ORIGIN, origin) : ROOT_CONTEXT;
  return () => context.with(start, task);
}

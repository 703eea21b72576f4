import { context, type Attributes } from '@opentelemetry/api';
import { ResultAsync } from 'neverthrow';
import type { CxError } from '../errors.js';
import { describeCause } from '../internal/describe-cause.js';
import type { Store } from '../ports/store.js';
import { recordCxOutcome } from './cx-outcome.js';
import { markFailed, openSpan } from './in-span.js';

/**
 * The operations of a group, each run in one OpenTelemetry span named
 * `cx.<group>.<operation>` (e.g. `cx.accounts.create`), of kind `INTERNAL`, made the active span
 * while the operation runs, so the spans of the database driver and the member directory are
 * its children. Through the standard `@opentelemetry/api`: with no tracer provider registered
 * the API's tracer is a no-op and the operation runs as it is.
 *
 * Attributes carry no personal data: `cx.domain_id` (the first argument, when it is a string),
 * `common` (such as `db.system.name` when the store knows its database) and what
 * {@link recordCxOutcome} records (`cx.outcome`, and on a failure `error.type`).
 */
export function tracedGroup<G extends object>(groupName: string, group: G, common: Attributes = {}): G {
  const traced: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(group)) {
    traced[name] = typeof operation === 'function' ? tracedOperation(`cx.${groupName}.${name}`, operation as (...args: unknown[]) => unknown, common) : operation;
  }
  return traced as G;
}

/** The attributes every operation span of a store carries: `db.system.name` when the store knows it. */
export function spanAttributes(store: Store): Attributes {
  const system = store.databaseSystem;
  return typeof system === 'string' && system !== '' ? { 'db.system.name': system } : {};
}

/** One operation, run in a span named `spanName` (see {@link tracedGroup}). */
export function tracedOperation(spanName: string, operation: (...args: unknown[]) => unknown, common: Attributes): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const attributes: Attributes = typeof args[0] === 'string' ? { ...common, 'cx.domain_id': args[0] } : common;
    const opened = openSpan(spanName, { attributes });
    // Nothing records and nothing would change: the operation runs as it is.
    if (opened === null) return operation(...args);
    const { span, within } = opened;
    let answer: unknown;
    try {
      answer = context.with(within, operation, undefined, ...args);
    } catch (thrown) {
      // Operations never throw; should one, the caller sees the throw as it was.
      markFailed(span, thrown instanceof Error ? thrown.name : '_OTHER', describeCause(thrown), thrown);
      span.end();
      throw thrown;
    }
    // Every operation answers a ResultAsync; anything else ends its span at once.
    if (!(answer instanceof ResultAsync)) {
      span.end();
      return answer;
    }
    const running = answer as ResultAsync<unknown, CxError>;
    return new ResultAsync(
      (async () => {
        const result = await running;
        recordCxOutcome(span, result);
        span.end();
        return result;
      })(),
    );
  };
}

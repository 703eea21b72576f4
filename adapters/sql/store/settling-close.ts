import { err } from 'neverthrow';
import { storeFailure } from '../../../src/errors.js';
import type { Store } from '../../../src/ports/store.js';

/**
 * A store whose `close()` settles every call in flight first (R49): it stops taking new
 * calls, waits for the calls already made to finish — each answers as it would have — and
 * only then runs `destroy` (ending the pool or closing the file). A pool ended under waiting
 * calls would leave them pending forever (pg's pool never answers the requests it queued).
 *
 * Calls made after `close()`: `transaction` answers `store_failure` ("the store is closed");
 * other methods reject (the port's way to fail), and streams fail on their first read; a stream
 * opened before fails on its next read.
 * A call in flight is one that has been made and has not settled; for a stream, each read
 * (`next()`) in progress — a stream nobody reads holds no connection, so close does not wait for it.
 *
 * Every method of `store` is wrapped, whatever it is named: the port may grow.
 */
export function settleBeforeClose<S extends Store>(store: S, destroy: () => Promise<void>): S & { close(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | null = null;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  };

  const closedError = () => new Error('cx-accounts: the store is closed');

  const wrapIterable = <T>(iterable: AsyncIterable<T>): AsyncIterable<T> => ({
    [Symbol.asyncIterator]() {
      if (closing) return failingIterator<T>(closedError());
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        next: () => (closing ? Promise.reject(closedError()) : track(iterator.next())),
        return: (value?: unknown) => track(iterator.return ? iterator.return(value) : Promise.resolve({ done: true as const, value: undefined as never })),
        throw: (error?: unknown) => track(iterator.throw ? iterator.throw(error) : Promise.reject(error)),
      };
    },
  });

  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    wrapped[name] = (...args: unknown[]) => {
      if (closing) {
        if (name === 'transaction') return Promise.resolve(err(storeFailure(closedError(), 'storage failed: the store is closed')));
        return closedAnswer(closedError());
      }
      const answer: unknown = (member as (...rest: unknown[]) => unknown).apply(store, args);
      if (answer instanceof Promise) return track(answer);
      if (isAsyncIterable(answer)) return wrapIterable(answer);
      return answer;
    };
  }

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Calls in flight may start others (a retry, the next batch): wait until none is left.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await destroy();
    })());

  return { ...(wrapped as S), close };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * The answer of a method called after close, whatever it returns: awaited, it rejects; iterated
 * (a history stream), it throws on the first read. Nothing is rejected until someone asks, so
 * an answer nobody reads is no unhandled rejection.
 */
function closedAnswer(error: Error): PromiseLike<never> & AsyncIterable<never> {
  return {
    then: (_onFulfilled, onRejected) => Promise.reject(error).then(undefined, onRejected),
    [Symbol.asyncIterator]: () => failingIterator<never>(error),
  };
}

function failingIterator<T>(error: Error): AsyncIterator<T> {
  return {
    next: () => Promise.reject(error),
    return: () => Promise.resolve({ done: true, value: undefined as never }),
  };
}

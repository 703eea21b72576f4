import { err, type Result } from 'neverthrow';

/**
 * An `err` on its way out of a {@link straight} body: {@link take} raises it, `straight`
 * answers it. Private: no other code creates one, so nothing else is mistaken for it.
 */
class EarlyErr {
  constructor(readonly error: unknown) {}
}

/**
 * The value of an `ok`; an `err` ends the enclosing {@link straight} body, which answers
 * that `err` (Rust's `?`). Call it only inside a `straight` body, or directly in the body
 * of `runOperation` or the work of `transact`, which answer it the same way; never in code
 * that catches what it throws.
 */
export function take<T, E>(result: Result<T, E>): T {
  if (result.isErr()) throw new EarlyErr(result.error);
  return result.value;
}

/** Whether `thrown` is an early `err` of {@link take}; if so, that `err`. */
export function earlyErr<E>(thrown: unknown): Result<never, E> | null {
  return thrown instanceof EarlyErr ? err(thrown.error as E) : null;
}

/**
 * Runs an operation's steps top to bottom: each step that answers a `Result` is unwrapped
 * with {@link take}, and the first `err` is the answer. It does what neverthrow's
 * `safeTry` does, without a generator: `safeTry` runs its body as an async generator, which
 * costs about 2 µs per call on Node 20 (an async function about 0.3 µs), and one operation
 * nests several (measured by `test/bench/sql-agents.bench.ts`). Other throws pass through
 * unchanged, to the operation's guard (`internal`) or the store (`store_failure`).
 *
 * A body reads `const account = take(await loadAccount(tx, id));` where a generator would
 * read `const account = yield* await loadAccount(tx, id);`.
 */
export async function straight<T, E>(body: () => PromiseLike<Result<T, E>>): Promise<Result<T, E>> {
  try {
    return await body();
  } catch (thrown) {
    const early = earlyErr<E>(thrown);
    if (early) return early;
    throw thrown;
  }
}

/** {@link straight} for steps that are all synchronous. */
export function straightSync<T, E>(body: () => Result<T, E>): Result<T, E> {
  try {
    return body();
  } catch (thrown) {
    const early = earlyErr<E>(thrown);
    if (early) return early;
    throw thrown;
  }
}

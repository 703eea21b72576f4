import { err, type Err, type Result } from 'neverthrow';

/**
 * The early return of a {@link straight} body: the value of an `ok`; an `err` ends the body,
 * and `straight` answers that `err` (Rust's `?`, neverthrow's `yield*` in `safeTry`). It takes
 * only results whose error is the body's `E`, so an error of another type cannot leave the
 * body typed as `E`.
 */
export type Take<E> = <T>(result: Result<T, E>) => T;

/**
 * What a {@link Take} throws to leave its body: one private value, so nothing else is taken
 * for it. The `err` itself stays with the `straight` whose `take` threw, so only that
 * `straight` answers it; another `straight` it passes through throws it on.
 */
class EarlyReturn {
  readonly message = 'the early return of a straight body (take met an err)';
}
const EARLY_RETURN = Object.freeze(new EarlyReturn());

/**
 * One body's early-return state: the `err` its `take` met, kept so that a `try`/`catch` in the
 * body that swallows the throw cannot turn that `err` into an `ok`.
 *
 * `take` is this class's method bound to one scope. A closure made per call (`(result) => …`
 * capturing a local) measured 2.5× the old module-wide `take` in `test/bench/straight.bench.ts`,
 * since V8 does not inline a fresh closure at each call site; a bound method of one class is
 * inlined and costs what the old form did.
 */
class Scope<E> {
  early: Err<never, E> | null = null;

  take<T>(result: Result<T, E>): T {
    if (result.isOk()) return result.value;
    this.early ??= err(result.error);
    throw EARLY_RETURN;
  }
}

/**
 * Runs an operation's steps top to bottom: `body` gets a {@link Take} of its own, each step
 * that answers a `Result` is unwrapped with it, and the first `err` is the answer. It does what
 * neverthrow's `safeTry` does, without a generator: `safeTry` runs its body as an async
 * generator, which costs about 2 µs per call on Node 20 (an async function about 0.3 µs), and
 * one operation nests several (`test/bench/straight.bench.ts` measures this form against the
 * one before it, `test/bench/sql-agents.bench.ts` a whole operation).
 *
 * The `err` that `take` met is the answer even when a `try`/`catch` in the body caught what
 * `take` threw: `straight` remembers it. Other throws pass through unchanged, to the
 * operation's guard (`internal`) or the store (`store_failure`).
 *
 * @example
 * ```ts
 * const parse = (text: string): Result<number, string> =>
 *   Number.isNaN(Number(text)) ? err(`not a number: ${text}`) : ok(Number(text));
 * const total = await straight<number, string>(async (take) => {
 *   const a = take(parse('1'));
 *   const b = take(parse('x')); // an err: the body ends here, and `total` is that err
 *   return ok(a + b);
 * });
 * ```
 */
export async function straight<T, E>(body: (take: Take<E>) => PromiseLike<Result<T, E>>): Promise<Result<T, E>> {
  const scope = new Scope<E>();
  try {
    const answer = await body(scope.take.bind(scope));
    return scope.early ?? answer;
  } catch (thrown) {
    if (scope.early !== null) return scope.early;
    throw thrown;
  }
}

/** {@link straight} for steps that are all synchronous. */
export function straightSync<T, E>(body: (take: Take<E>) => Result<T, E>): Result<T, E> {
  const scope = new Scope<E>();
  try {
    const answer = body(scope.take.bind(scope));
    return scope.early ?? answer;
  } catch (thrown) {
    if (scope.early !== null) return scope.early;
    throw thrown;
  }
}

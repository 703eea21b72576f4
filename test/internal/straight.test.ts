import { err, ok, type Result } from 'neverthrow';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { straight, straightSync, type Take } from '../../src/internal/straight.js';

type A = { kind: 'a' };
type B = { kind: 'b' };
const errorA: A = { kind: 'a' };
const errorB: B = { kind: 'b' };
const resultOfB: Result<number, B> = err(errorB);

/**
 * Type fixtures: `tsc --noEmit` (which checks `test/`) fails when a line marked
 * `@ts-expect-error` compiles. Never run, only compiled.
 */
export async function typeFixtures(): Promise<void> {
  // @ts-expect-error the body's take accepts only results whose error is A
  await straight<number, A>(async (take) => ok(take(resultOfB)));
  // @ts-expect-error the same for the synchronous form
  straightSync<number, A>((take) => ok(take(resultOfB)));
  // A take of one body cannot be used for a result of another error type either.
  await straight<number, A>(async (outer) =>
    straight<number, A>(async () => {
      // @ts-expect-error outer's error type is A too
      return ok(outer(resultOfB));
    }),
  );
  // An error of a narrower type (a member of the body's union) is fine.
  await straight<number, A | B>(async (take) => ok(take(resultOfB)));
}

describe('straight: a typed, scoped early return', () => {
  it('take unwraps an ok and the body answers', async () => {
    expect(await straight<number, A>(async (take) => ok(take(ok(2)) + 1))).toEqual(ok(3));
  });

  it('take of an err ends the body with that err; the rest does not run', async () => {
    let ranOn = false;
    const answer = await straight<number, A>(async (take) => {
      take(err(errorA));
      ranOn = true;
      return ok(1);
    });
    expect(answer).toEqual(err(errorA));
    expect(ranOn).toBe(false);
  });

  it('a try/catch between take and straight does not swallow the err: straight answers it', async () => {
    const answer = await straight<string, A>(async (take) => {
      try {
        take(err(errorA));
      } catch {
        // a best-effort step that swallows everything
      }
      return ok('swallowed');
    });
    expect(answer).toEqual(err(errorA));
    const sync = straightSync<string, A>((take) => {
      try {
        take(err(errorA));
      } catch {
        // swallowed too
      }
      return ok('swallowed');
    });
    expect(sync).toEqual(err(errorA));
  });

  it('the first err wins when the body goes on and meets another', async () => {
    const answer = await straight<number, A | B>(async (take) => {
      try {
        take(err(errorA));
      } catch {
        // swallowed
      }
      take(err(errorB));
      return ok(1);
    });
    expect(answer).toEqual(err(errorA));
  });

  it('is scoped: an inner straight passes the outer take\'s early return on to the outer one', async () => {
    let innerAnswered: Result<number, B> | null = null;
    const answer = await straight<number, A>(async (outer) => {
      innerAnswered = await straight<number, B>(async () => ok(outer(err(errorA))));
      return ok(0);
    });
    expect(answer).toEqual(err(errorA));
    expect(innerAnswered).toBeNull();
  });

  it('other throws pass through unchanged', async () => {
    const thrown = new TypeError('a defect');
    await expect(straight<number, A>(async () => Promise.reject(thrown))).rejects.toBe(thrown);
    expect(() => straightSync<number, A>(() => { throw thrown; })).toThrow(thrown);
  });

  it('the take handed in is typed by the body\'s error', () => {
    void straight<number, A>(async (take) => {
      expectTypeOf(take).toEqualTypeOf<Take<A>>();
      return ok(1);
    });
  });
});

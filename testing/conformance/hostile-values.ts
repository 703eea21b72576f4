/**
 * Hostile values for the robustness cases (R27, R48), as fast-check arbitraries of *makers*:
 * functions that build the value when called. fast-check looks into every generated value (to
 * clone or print it), which a revoked proxy forbids — so the values are made inside the
 * property, by calling the maker.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import * as z from 'zod';
 *
 * fc.assert(fc.property(hostileMaker, (make) => {
 *   const result = z.string().safeParse(make());
 *   return !result.success;
 * }));
 * ```
 *
 * @module
 */
import fc from 'fast-check';

/** Builds a hostile value when called. */
export type Maker = () => unknown;

/** A revoked proxy of `target`: every trap throws, `Array.isArray` and `instanceof` included. */
export function revokedProxy(target: object = {}): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

/** A proxy whose reads, key listing and prototype lookups throw. */
export function throwingProxy(): object {
  const trap = () => {
    throw new Error('trap');
  };
  return new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap });
}

const always = (value: () => unknown): fc.Arbitrary<Maker> => fc.constant(value);

/** Makers of the values an arbitrary generates. */
export const plainMaker = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Maker> => arbitrary.map((value) => () => value);

/** Revoked proxies of an object and of an array. */
export const revokedMaker: fc.Arbitrary<Maker> = fc.oneof(always(() => revokedProxy()), always(() => revokedProxy([])));

/**
 * Dates a message may not carry (R48): the ends of the `Date` range, an invalid date, the first
 * instant of year 10000, the last millisecond of 1969, and a revoked proxy of a Date.
 */
export const extremeDateMaker: fc.Arbitrary<Maker> = fc.oneof(
  plainMaker(fc.constantFrom(8.64e15, -8.64e15, Number.NaN, 253402300800000, -1).map((time) => new Date(time))),
  always(() => revokedProxy(new Date(0))),
);

/**
 * Names a person cannot see or that hide text (R48): fillers, format characters, a line
 * separator, a lone combining mark.
 */
export const invisibleNameMaker: fc.Arbitrary<Maker> = plainMaker(
  fc.constantFrom('\u3164', '\u2800', 'a\u200Bb', '\u202Eevil', '\u0301', 'x\u2028y', '\uFEFF', '\u115F\u1160', '\uFFA0', '\u00AD'),
);

/** Ids that no store can keep as given (R48): control characters, lone surrogates. */
export const badIdMaker: fc.Arbitrary<Maker> = plainMaker(fc.constantFrom('q\u0000', 'a\nb', '\u009b', '\ud800', 'basic\udfff'));

/** An object of makers, made into an object of values. */
export const objectMaker = (fields: Record<string, fc.Arbitrary<Maker>>): fc.Arbitrary<Maker> =>
  fc.record(fields).map((makers) => () => Object.fromEntries(Object.entries(makers).map(([key, maker]) => [key, maker()])));

/**
 * Every kind of hostile value: anything fast-check makes (wrong types, null-prototype objects,
 * maps, typed arrays, big integers), revoked and throwing proxies, extreme dates, invisible
 * names, bad ids — alone, and inside inputs shaped like `accounts.create` and
 * `receiveMessage`, so that validation reaches the field.
 */
export const hostileMaker: fc.Arbitrary<Maker> = fc.oneof(
  plainMaker(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true })),
  revokedMaker,
  always(() => throwingProxy()),
  extremeDateMaker,
  invisibleNameMaker,
  badIdMaker,
  objectMaker({
    productId: fc.oneof(plainMaker(fc.constant('basic')), badIdMaker, revokedMaker),
    name: fc.oneof(plainMaker(fc.constant('Help')), invisibleNameMaker, revokedMaker),
    id: fc.oneof(plainMaker(fc.constantFrom('help', 'Help', 'help-desk')), revokedMaker),
    agentIds: fc.oneof(plainMaker(fc.constant(['u1'])), revokedMaker, always(() => [revokedProxy()])),
  }),
  objectMaker({
    customerId: fc.oneof(plainMaker(fc.constant('c1')), badIdMaker, revokedMaker),
    content: fc.oneof(plainMaker(fc.constant('hi')), revokedMaker),
    channel: fc.oneof(plainMaker(fc.constant('line')), revokedMaker),
    at: extremeDateMaker,
    messageId: fc.oneof(plainMaker(fc.constant('m1')), badIdMaker),
  }),
);

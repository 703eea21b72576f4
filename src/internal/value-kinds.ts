const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)
  ?.get as ((this: unknown) => string | undefined) | undefined;

/**
 * True for a real `Uint8Array` (Node `Buffer` included), from any realm; false for anything
 * else, a proxy of one included.
 *
 * @example
 * ```ts
 * isUint8Array(new Uint8Array(2)); // true
 * isUint8Array([1, 2]); // false
 * ```
 */
export function isUint8Array(value: unknown): value is Uint8Array {
  try {
    if (typeof value !== 'object' || value === null || !ArrayBuffer.isView(value)) return false;
    return typedArrayTag ? typedArrayTag.call(value) === 'Uint8Array' : value instanceof Uint8Array;
  } catch {
    return false;
  }
}

/**
 * Names the type of a wrong value for an error message ("must be a string, got array"),
 * with a hint where the mistake is common (an `ArrayBuffer` where bytes are wanted). Never
 * throws: a revoked proxy throws even from `Array.isArray`, and is then named by `typeof`.
 *
 * @example
 * ```ts
 * typeName([1, 2]); // "array"
 * typeName(null); // "null"
 * ```
 */
export function typeName(value: unknown): string {
  try {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (isUint8Array(value)) return 'Uint8Array';
    if (ArrayBuffer.isView(value)) return 'another kind of typed array';
    if (value instanceof ArrayBuffer) return 'ArrayBuffer (wrap it: new Uint8Array(buffer))';
    return typeof value;
  } catch {
    return typeof value;
  }
}

/**
 * Whether `value` is a plain object (an object literal, or made with `Object.create(null)`):
 * not an array, a class instance, a `Date`. Never throws (a revoked proxy is not plain).
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 }); // true
 * isPlainObject(new Date()); // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
  } catch {
    return false;
  }
}

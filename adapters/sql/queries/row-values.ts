/**
 * Converting column values the drivers hand back (numbers as strings from pg, bigints,
 * `Buffer`s) into the plain values records hold, and back.
 *
 * @module
 */
import { StoreError } from '../../../src/ports/store-error.js';

/** A number from a numeric column, whatever the driver made of it. */
export function toNumber(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

/** An instant from an epoch-milliseconds column. */
export function toDate(value: number | string | bigint): Date {
  return new Date(toNumber(value));
}

/** An instant from a nullable epoch-milliseconds column. */
export function toDateOrNull(value: number | string | bigint | null): Date | null {
  return value === null ? null : toDate(value);
}

/** Epoch milliseconds of an instant, for an epoch-milliseconds column. */
export function toMillis(date: Date): number {
  const millis = date.getTime();
  if (!Number.isFinite(millis)) throw new Error('cannot store an invalid Date');
  return millis;
}

/** Nullable form of {@link toMillis}. */
export function toMillisOrNull(date: Date | null): number | null {
  return date === null ? null : toMillis(date);
}

/**
 * Bytes as a Node `Buffer` view (no copy) for binding: better-sqlite3 binds `Buffer`s only,
 * and pg and mysql2 treat them as binary.
 */
export function toDriverBytes(data: Uint8Array): Uint8Array {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A stored value of a closed union (`CHANNELS`, `BACKUP_FORMATS`, …), checked: a value
 * outside it is a `StoreError` naming the column, never a guess.
 */
export function storedMember<U extends string>(members: readonly U[], value: unknown, column: string): U {
  if (isMember(members, value)) return value;
  throw new StoreError(`${column} holds ${JSON.stringify(value)}, which is none of ${members.join(', ')} (written by a newer version, or damaged)`);
}

function isMember<U extends string>(members: readonly U[], value: unknown): value is U {
  return (members as readonly unknown[]).includes(value);
}

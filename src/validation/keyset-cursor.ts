import { err, ok, type Result } from 'neverthrow';
import { invalid, type CxError } from '../errors.js';
import { fromBase64Url, toBase64Url } from '../internal/base64url.js';

/** Position of a keyset page: an instant and the id that breaks ties. */
export type KeysetPosition = { at: Date; id: string };

/**
 * Encodes a keyset position as an opaque cursor: base64url of the UTF-8 JSON `[millis, id]`,
 * tagged with what it pages so a cursor of one listing is refused by another.
 */
export function encodeKeysetCursor(tag: string, position: KeysetPosition): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([tag, position.at.getTime(), position.id])));
}

/** Decodes a cursor of {@link encodeKeysetCursor} for `tag`; anything else is a `validation` error naming `operation`. */
export function decodeKeysetCursor(tag: string, operation: string, cursor: string): Result<KeysetPosition, CxError> {
  const refused = () => err(invalid('cursor', `is not a cursor returned by ${operation}`));
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return refused();
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor)));
  } catch {
    return refused();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) return refused();
  const [cursorTag, millis, id] = decoded as unknown[];
  if (cursorTag !== tag || typeof millis !== 'number' || !Number.isSafeInteger(millis) || typeof id !== 'string') return refused();
  const at = new Date(millis);
  if (Number.isNaN(at.getTime())) return refused();
  return ok({ at, id });
}

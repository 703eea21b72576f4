import { err, ok, type Result } from 'neverthrow';
import { invalid, type CxError } from '../errors.js';
import { fromBase64Url, toBase64Url } from '../internal/base64url.js';

/** Position of a keyset page: an instant, the id that breaks ties, and a number that breaks ties of both (history: the event seq). */
export type KeysetPosition = { at: Date; id: string; tie?: number };

/**
 * Encodes a keyset position as an opaque cursor: base64url of the UTF-8 JSON `[tag, millis, id]`
 * (and `tie` when given), tagged with what it pages so a cursor of one listing is refused by another.
 */
export function encodeKeysetCursor(tag: string, position: KeysetPosition): string {
  const fields: unknown[] = [tag, position.at.getTime(), position.id];
  if (position.tie !== undefined) fields.push(position.tie);
  return toBase64Url(new TextEncoder().encode(JSON.stringify(fields)));
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
  // Cursors made before ties carried a number have three fields; they still work.
  if (!Array.isArray(decoded) || decoded.length < 3 || decoded.length > 4) return refused();
  const [cursorTag, millis, id, tie] = decoded as unknown[];
  if (cursorTag !== tag || typeof millis !== 'number' || !Number.isSafeInteger(millis) || typeof id !== 'string') return refused();
  if (decoded.length === 4 && (typeof tie !== 'number' || !Number.isSafeInteger(tie) || tie < 0)) return refused();
  const at = new Date(millis);
  if (Number.isNaN(at.getTime())) return refused();
  return ok(typeof tie === 'number' ? { at, id, tie } : { at, id });
}

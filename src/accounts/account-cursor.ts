import { err, ok, type Result } from 'neverthrow';
import { invalid, type CxError } from '../errors.js';
import type { AccountListPosition } from '../ports/records.js';
import { fromBase64Url, toBase64Url } from '../internal/base64url.js';

/**
 * Encodes the position after which the next page of `accounts.list` starts. Opaque to callers:
 * base64url of the last row's activation time and ID.
 */
export function encodeAccountCursor(position: AccountListPosition): string {
  const text = `${position.activatedAt.getTime()}:${position.id}`;
  return toBase64Url(new TextEncoder().encode(text));
}

/** Decodes a cursor made by {@link encodeAccountCursor}; anything else is a `validation` error. */
export function decodeAccountCursor(cursor: string): Result<AccountListPosition, CxError> {
  const refused = () => invalid('cursor', 'is not a cursor returned by accounts.list');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return err(refused());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor));
  } catch {
    return err(refused());
  }
  const match = /^(\d{1,16}):([a-z0-9][A-Za-z0-9]{0,19})$/.exec(text);
  if (!match) return err(refused());
  const activatedAt = new Date(Number(match[1]));
  if (Number.isNaN(activatedAt.getTime())) return err(refused());
  return ok({ activatedAt, id: match[2]! });
}

import { codePointLabel } from '../validation/invisible-characters.js';
import { toBase64Url } from '../internal/base64url.js';

/** Bytes of randomness in a contact URL token: 144 bits, above the 128 that R11 asks. */
const TOKEN_BYTES = 18;

/**
 * A fresh URL-safe token (base64url, no padding) from the platform's cryptographic random
 * source (Web Crypto, available in Node.js and browsers).
 */
export function newContactToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return toBase64Url(bytes);
}

/** The contact URL of a new account (R11): the configured base followed by a fresh token. */
export function newContactUrl(contactUrlBase: string): string {
  return contactUrlBase + newContactToken();
}

/** Most characters of `contactUrlBase` (R48): the URL and its QR code stay small. */
export const MAX_CONTACT_URL_BASE_LENGTH = 200;

/**
 * Checks `contactUrlBase` (R48): an absolute `https:` (or `http:`) URL with a host, no user
 * name or password, no white space anywhere (not even leading or trailing, which `new URL`
 * would silently drop), at most {@link MAX_CONTACT_URL_BASE_LENGTH} characters, ending in `/`,
 * `=` or `#` so the token appended to it stays a separate path segment, query value or
 * fragment. Answers the problem, or `null` when the base is fine. The base is used exactly as
 * given, never normalised.
 *
 * @example
 * ```ts
 * contactUrlBaseProblem('https://talk.example.com/add/'); // null
 * contactUrlBaseProblem('https://talk.example.com/add');  // 'must end in "/", "=" or "#" …'
 * contactUrlBaseProblem(' https://talk.example.com/');    // 'must not contain white space …'
 * ```
 */
export function contactUrlBaseProblem(base: unknown): string | null {
  if (typeof base !== 'string') return `must be a string, got ${base === null ? 'null' : typeof base}`;
  if (base.length > MAX_CONTACT_URL_BASE_LENGTH) {
    return `at most ${MAX_CONTACT_URL_BASE_LENGTH} characters, got ${base.length}`;
  }
  const space = /[\s\p{Cc}\p{Cf}\p{Z}]/u.exec(base);
  if (space) return `must not contain white space or invisible characters (${codePointLabel(space[0])} at position ${space.index})`;
  if (!base.isWellFormed()) return 'holds a lone surrogate, which is not valid text';
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return `must be an absolute http(s) URL, got ${JSON.stringify(base.slice(0, 100))}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must use https (or http), got ${url.protocol}`;
  if (!/^https?:\/\//i.test(base) || url.hostname === '') return 'must be an absolute URL with a host, like https://talk.example.com/add/';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (!/[/=#]$/.test(base)) {
    return `must end in "/", "=" or "#" so the token is a separate part of the URL, got ${JSON.stringify(base.slice(-20))}`;
  }
  return null;
}

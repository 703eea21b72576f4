/** Bytes of randomness in a contact URL token: 144 bits, above the 128 that R11 asks. */
const TOKEN_BYTES = 18;

/**
 * A fresh URL-safe token (base64url, no padding) from the platform's cryptographic random
 * source (Web Crypto, available in Node.js and browsers).
 */
export function newContactToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The contact URL of a new account (R11): the configured base followed by a fresh token. */
export function newContactUrl(contactUrlBase: string): string {
  return contactUrlBase + newContactToken();
}

/** Checks `contactUrlBase`: an absolute http(s) URL. Answers a problem, or `null`. */
export function contactUrlBaseProblem(base: unknown): string | null {
  if (typeof base !== 'string') return 'must be a string';
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return `must be an absolute http(s) URL, got ${JSON.stringify(base.slice(0, 100))}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must use http or https, got ${url.protocol}`;
  return null;
}


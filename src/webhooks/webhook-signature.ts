import { secretKeyBytes, toBase64 } from './webhook-endpoint.js';

/**
 * The Standard Webhooks headers of a delivery (R54): `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed
 * with the secret's bytes).
 *
 * HMAC through Web Crypto (`crypto.subtle`), which Node ≥ 20, Deno, Bun and browsers on
 * `https:` pages have: no Node built-in. A page served over plain `http:` has no
 * `crypto.subtle`, but a delivery runner is a server's work, so there it fails with a message
 * rather than carry a hand-written SHA-256.
 *
 * `keys` gives the secret's key: by default imported for this call; a runner passes
 * {@link signingKeys} to import each secret once.
 */
export async function signatureHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
  keys: SigningKeys = importSigningKey,
): Promise<Record<string, string>> {
  const subtle = webCrypto();
  const key = await keys(secret);
  const signed = new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`);
  const signature = new Uint8Array(await subtle.sign('HMAC', key, signed));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${toBase64(signature)}`,
  };
}

/** The HMAC key of a secret, ready to sign with. */
export type SigningKeys = (secret: string) => Promise<CryptoKey>;

/** Secrets whose keys {@link signingKeys} keeps; past it, it starts over. */
const MAX_KEPT_KEYS = 1024;

/**
 * Imports each secret's key once and keeps it for the next delivery: a delivery runner signs
 * every POST to an endpoint with one secret, and importing the key each time cost about a
 * tenth of its time on the memory store (webhook-delivery.bench.ts). Keys are not extractable.
 */
export function signingKeys(): SigningKeys {
  const kept = new Map<string, Promise<CryptoKey>>();
  return (secret) => {
    let key = kept.get(secret);
    if (!key) {
      if (kept.size >= MAX_KEPT_KEYS) kept.clear();
      key = importSigningKey(secret);
      // A failed import is not kept: the next delivery tries again.
      key.catch(() => kept.delete(secret));
      kept.set(secret, key);
    }
    return key;
  };
}

function importSigningKey(secret: string): Promise<CryptoKey> {
  return webCrypto().importKey('raw', secretKeyBytes(secret) as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function webCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('webhook signing needs Web Crypto (crypto.subtle), which this runtime does not offer');
  return subtle;
}

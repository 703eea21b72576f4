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
 */
export async function signatureHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('webhook signing needs Web Crypto (crypto.subtle), which this runtime does not offer');
  const key = await subtle.importKey('raw', secretKeyBytes(secret) as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signed = new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`);
  const signature = new Uint8Array(await subtle.sign('HMAC', key, signed));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${toBase64(signature)}`,
  };
}

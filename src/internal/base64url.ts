/**
 * Base64url without padding (RFC 4648 §5), through the platform's `btoa`/`atob` (Node.js and
 * browsers alike): the one encoding of contact tokens and page cursors.
 *
 * @example
 * ```ts
 * toBase64Url(new Uint8Array([251, 255])); // "-_8"
 * fromBase64Url('-_8'); // Uint8Array [251, 255]
 * ```
 */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of a {@link toBase64Url} text; throws (`atob`'s `DOMException`) on text that is not base64url. */
export function fromBase64Url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
}

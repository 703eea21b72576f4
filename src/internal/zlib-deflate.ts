/**
 * zlib compression through the web platform's `CompressionStream`, which Node ≥ 18, Deno,
 * Bun and every current browser provide: no Node built-in and no compression library.
 *
 * @module
 */

/**
 * Compresses bytes into a zlib stream (RFC 1950), the format of a PNG's image data.
 *
 * @example
 * ```ts
 * const compressed = await zlibDeflate(new Uint8Array(4096)); // a few bytes of zeros
 * ```
 */
export async function zlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  // 'deflate' is the zlib wrapper (header + Adler-32), not raw deflate ('deflate-raw').
  const source = new Blob([data as Uint8Array<ArrayBuffer>]).stream();
  const compressed = source.pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

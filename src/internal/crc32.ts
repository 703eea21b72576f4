/**
 * CRC-32 (ISO 3309, polynomial 0xEDB88320), the checksum of PNG chunks: one home for the PNG
 * reader that checks images and the writer that draws QR codes.
 *
 * @module
 */

// Built on first use, so importing this module costs nothing.
let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  const built = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    built[n] = c >>> 0;
  }
  table = built;
  return built;
}

/**
 * CRC-32 of `data[start, end)` (all of `data` by default), as an unsigned 32-bit number.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('IEND')); // → 0xae426082
 * ```
 */
export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  const lookup = crcTable();
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = lookup[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

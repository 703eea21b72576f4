/**
 * Writes black-and-white images as PNG files, in plain code (see `zlib-deflate.ts`): no Node
 * built-in, no `Buffer`, nothing asynchronous.
 *
 * @module
 */
import { crc32 } from './crc32.js';
import { zlibDeflate } from './zlib-deflate.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = new TextEncoder();

/**
 * The bytes of one scanline of a 1-bit image `width` pixels wide: the filter-type byte, then
 * 8 pixels a byte (the first pixel in the highest bit).
 */
export function bilevelScanlineBytes(width: number): number {
  return 1 + Math.ceil(width / 8);
}

/**
 * Encodes the scanlines of a black-and-white image as a 1-bit greyscale PNG (the smallest kind
 * for a QR code). `scanlines` holds `height` rows of {@link bilevelScanlineBytes} bytes each,
 * each led by its filter-type byte (0, None, is what a bilevel image needs); a 1 bit is white,
 * a 0 bit black.
 *
 * @example
 * ```ts
 * const line = bilevelScanlineBytes(8); // 2
 * const rows = new Uint8Array(line * 8);
 * for (let y = 0; y < 8; y++) rows[y * line + 1] = y % 2 === 0 ? 0b1010_1010 : 0b0101_0101; // a checkerboard
 * const png = writeBilevelPng(8, 8, rows);
 * ```
 */
export function writeBilevelPng(width: number, height: number, scanlines: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const chunks = [chunk('IHDR', header), chunk('IDAT', zlibDeflate(scanlines, bilevelScanlineBytes(width))), chunk('IEND', new Uint8Array(0))];
  return concat([Uint8Array.from(SIGNATURE), ...chunks]);
}

/** One PNG chunk: length, type, data, and the CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length);
  bytes.set(ascii.encode(type), 4);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes, 4, 8 + data.length));
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

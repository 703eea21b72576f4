/**
 * Writes black-and-white images as PNG files, with web APIs only (see `zlib-deflate.ts`).
 *
 * @module
 */
import { crc32 } from './crc32.js';
import { zlibDeflate } from './zlib-deflate.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = new TextEncoder();

/** A square or rectangular image of `width` × `height` pixels; `isDark(x, y)` paints a pixel black. */
export type BilevelImage = {
  width: number;
  height: number;
  isDark(x: number, y: number): boolean;
};

/**
 * Encodes a black-and-white image as a 1-bit greyscale PNG (the smallest kind for a QR code).
 *
 * @example
 * ```ts
 * const png = await writeBilevelPng({ width: 8, height: 8, isDark: (x, y) => (x + y) % 2 === 0 });
 * ```
 */
export async function writeBilevelPng(image: BilevelImage): Promise<Uint8Array> {
  const { width, height } = image;
  const rowBytes = 1 + Math.ceil(width / 8); // filter type byte, then 8 pixels a byte
  const raw = new Uint8Array(rowBytes * height); // filter 0 (None) everywhere; zeros are black
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes + 1;
    for (let x = 0; x < width; x++) {
      if (!image.isDark(x, y)) raw[row + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const chunks = [chunk('IHDR', header), chunk('IDAT', await zlibDeflate(raw)), chunk('IEND', new Uint8Array(0))];
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

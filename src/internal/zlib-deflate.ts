/**
 * A zlib stream (RFC 1950 around RFC 1951 deflate) for images made of repeated rows, such as a
 * QR code drawn several pixels a module: synchronous, in plain code, with no Node built-in.
 *
 * It writes one block with the fixed Huffman codes and finds only two kinds of repetition: a
 * row equal to the row above (a copy at the distance of one row) and a run of one byte within a
 * row (a copy at distance 1). For a QR code that is nearly all there is, and it takes a small
 * fraction of the time of the platform's `CompressionStream` (see test/bench/qr-code.bench.ts),
 * whose general search is wasted on such an image. Any bytes give a valid stream; other images
 * merely compress less well.
 *
 * @module
 */

/** Lengths 3..258 of a copy: the length symbol's base, from symbol 257 on, and its extra bits. */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** Distances 1..32768 of a copy: the distance code's base and its extra bits. */
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

const MAX_COPY = 258;
const MAX_DISTANCE = 32768;
/** Shortest run of one byte worth a copy: a literal and a copy cost fewer bits than 4 literals. */
const MIN_RUN = 4;

/** The fixed Huffman code of each literal/length symbol (RFC 1951, 3.2.6), bit-reversed for LSB-first output, and its length. */
type FixedCodes = { code: Uint16Array; bits: Uint8Array };
let fixedCodes: FixedCodes | undefined;

function reverseBits(value: number, bits: number): number {
  let reversed = 0;
  for (let i = 0; i < bits; i++) reversed = (reversed << 1) | ((value >> i) & 1);
  return reversed;
}

function literalLengthCodes(): FixedCodes {
  if (fixedCodes) return fixedCodes;
  const code = new Uint16Array(288);
  const bits = new Uint8Array(288);
  for (let symbol = 0; symbol < 288; symbol++) {
    const [base, first, length] =
      symbol < 144 ? [0x30, 0, 8] : symbol < 256 ? [0x190, 144, 9] : symbol < 280 ? [0, 256, 7] : [0xc0, 280, 8];
    code[symbol] = reverseBits(base + symbol - first, length);
    bits[symbol] = length;
  }
  fixedCodes = { code, bits };
  return fixedCodes;
}

/** Writes bits least significant first, as deflate packs them. */
type BitWriter = {
  write(value: number, bits: number): void;
  /** Pads the last byte with zero bits, appends `tail` and answers everything written. */
  finish(tail: number[]): Uint8Array;
};

function bitWriter(capacity: number): BitWriter {
  let bytes = new Uint8Array(capacity);
  let length = 0;
  let buffer = 0;
  let count = 0;
  const push = (value: number) => {
    if (length === bytes.length) {
      const larger = new Uint8Array(bytes.length * 2 + 64);
      larger.set(bytes);
      bytes = larger;
    }
    bytes[length++] = value;
  };
  return {
    write(value, bits) {
      buffer |= value << count;
      count += bits;
      while (count >= 8) {
        push(buffer & 0xff);
        buffer >>>= 8;
        count -= 8;
      }
    },
    finish(tail) {
      if (count > 0) push(buffer & 0xff);
      buffer = 0;
      count = 0;
      for (const value of tail) push(value);
      return bytes.subarray(0, length);
    },
  };
}

function largestBaseAtMost(bases: readonly number[], value: number): number {
  let index = bases.length - 1;
  while (bases[index]! > value) index--;
  return index;
}

/** Writes copies of `length` bytes from `distance` back, in pieces deflate allows (3..258). */
function writeCopy(out: BitWriter, codes: FixedCodes, length: number, distance: number): void {
  const distanceCode = largestBaseAtMost(DISTANCE_BASE, distance);
  const distanceCodeBits = reverseBits(distanceCode, 5);
  let left = length;
  while (left > 0) {
    // Never leave a piece shorter than 3 behind.
    const piece = left > MAX_COPY ? (left - MAX_COPY < 3 ? left - 3 : MAX_COPY) : left;
    left -= piece;
    const index = largestBaseAtMost(LENGTH_BASE, piece);
    const symbol = 257 + index;
    out.write(codes.code[symbol]!, codes.bits[symbol]!);
    if (LENGTH_EXTRA[index]! > 0) out.write(piece - LENGTH_BASE[index]!, LENGTH_EXTRA[index]!);
    out.write(distanceCodeBits, 5);
    if (DISTANCE_EXTRA[distanceCode]! > 0) out.write(distance - DISTANCE_BASE[distanceCode]!, DISTANCE_EXTRA[distanceCode]!);
  }
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(start + 5552, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function rowsEqual(data: Uint8Array, first: number, second: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (data[first + i] !== data[second + i]) return false;
  return true;
}

/**
 * Compresses `data`, made of rows of `rowBytes` bytes (a PNG's filtered scanlines), into a zlib
 * stream, the format of a PNG's image data. A row equal to the one above costs a few bytes.
 *
 * @example
 * ```ts
 * const rows = new Uint8Array(65 * 512).fill(0xff); // 512 white rows of a 512-pixel 1-bit image
 * const compressed = zlibDeflate(rows, 65); // a few hundred bytes
 * ```
 */
export function zlibDeflate(data: Uint8Array, rowBytes: number = data.length): Uint8Array {
  const codes = literalLengthCodes();
  const out = bitWriter(64 + (data.length >> 3));
  out.write(0x78, 8); // zlib: deflate, 32 KB window
  out.write(0x01, 8); // no dictionary, fastest; 0x7801 is a multiple of 31
  out.write(1, 1); // the last block
  out.write(1, 2); // fixed Huffman codes
  const row = Math.max(1, Math.min(rowBytes, data.length));
  for (let start = 0; start < data.length; start += row) {
    const length = Math.min(row, data.length - start);
    if (start > 0 && length === row && row <= MAX_DISTANCE && length >= 3 && rowsEqual(data, start, start - row, row)) {
      // This row and the ones after it that repeat it: one copy from a row back.
      let end = start + row;
      while (end + row <= data.length && rowsEqual(data, end, end - row, row)) end += row;
      writeCopy(out, codes, end - start, row);
      start = end - row;
      continue;
    }
    let i = start;
    const stop = start + length;
    while (i < stop) {
      const value = data[i]!;
      out.write(codes.code[value]!, codes.bits[value]!);
      let run = i + 1;
      while (run < stop && data[run] === value) run++;
      if (run - i >= MIN_RUN) {
        writeCopy(out, codes, run - i - 1, 1);
        i = run;
      } else {
        i += 1;
      }
    }
  }
  out.write(codes.code[256]!, codes.bits[256]!); // end of block
  const checksum = adler32(data);
  return out.finish([checksum >>> 24, (checksum >>> 16) & 0xff, (checksum >>> 8) & 0xff, checksum & 0xff]);
}

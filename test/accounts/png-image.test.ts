import { deflateSync } from 'node:zlib';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { checkImageInput, inspectPng, PNG_LIMITS } from '../../src/accounts/png-image.js';

// ---------------------------------------------------------------------------------------------
// Hand assembly. The CRC here is the bitwise textbook form, independent of the module's table.

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk with a correct CRC (unless `crc` overrides it). */
function chunk(type: string, data: Uint8Array = new Uint8Array(0), crc?: number): Uint8Array {
  const typeBytes = new Uint8Array([...type].map((character) => character.charCodeAt(0)));
  const crcValue = crc ?? crc32(concat([typeBytes, data]));
  return concat([uint32(data.length), typeBytes, data, uint32(crcValue)]);
}

type Header = {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  compression?: number;
  filter?: number;
  interlace?: number;
};

function ihdr(header: Header): Uint8Array {
  return chunk(
    'IHDR',
    concat([
      uint32(header.width),
      uint32(header.height),
      new Uint8Array([header.bitDepth, header.colourType, header.compression ?? 0, header.filter ?? 0, header.interlace ?? 0]),
    ]),
  );
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Zlib-compressed all-zero scanlines (filter type 0) for a non-interlaced image of this header. */
function pixelData(header: Header): Uint8Array {
  const bitsPerPixel = header.bitDepth * (CHANNELS[header.colourType] ?? 1);
  const rowBytes = 1 + Math.ceil((header.width * bitsPerPixel) / 8);
  return new Uint8Array(deflateSync(new Uint8Array(rowBytes * header.height)));
}

/** A well-formed PNG, assembled by hand; `palette` entries are added for colour type 3. */
function handPng(header: Header, options: { paletteEntries?: number } = {}): Uint8Array {
  const parts = [SIGNATURE, ihdr(header)];
  if (header.colourType === 3) parts.push(chunk('PLTE', new Uint8Array(3 * (options.paletteEntries ?? 2))));
  parts.push(chunk('IDAT', pixelData(header)), chunk('IEND'));
  return concat(parts);
}

const SMALL_HEADER: Header = { width: 3, height: 2, bitDepth: 8, colourType: 2 };
const idatOf = (header: Header = SMALL_HEADER) => chunk('IDAT', pixelData(header));
const IEND = chunk('IEND');

function pngjsImage(width: number, height: number, colorType: 0 | 2 | 4 | 6, bitDepth: 8 | 16): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) & 0xff;
  return new Uint8Array(PNG.sync.write(png, { colorType, bitDepth, inputColorType: 6, inputHasAlpha: true }));
}

/** The [start, end) ranges of every chunk's type, data and CRC: the bytes a CRC protects. */
function crcCoveredRanges(png: Uint8Array): [number, number][] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const ranges: [number, number][] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    ranges.push([offset + 4, offset + 12 + length]);
    offset += 12 + length;
  }
  return ranges;
}

function expectRefused(data: Uint8Array, message?: RegExp): string {
  const result = inspectPng(data);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.message.length).toBeGreaterThan(0);
  if (message) expect(result.message).toMatch(message);
  return result.message;
}

function expectAccepted(data: Uint8Array, width: number, height: number): void {
  expect(inspectPng(data)).toEqual({ ok: true, width, height });
}

// ---------------------------------------------------------------------------------------------

describe('inspectPng', () => {
  it('R8: accepts PNGs written by pngjs in every colour type and bit depth it writes', () => {
    for (const colorType of [0, 2, 4, 6] as const) {
      for (const bitDepth of [8, 16] as const) {
        for (const [width, height] of [
          [1, 1],
          [4096, 1],
          [1, 4096],
          [37, 19],
        ] as const) {
          expectAccepted(pngjsImage(width, height, colorType, bitDepth), width, height);
        }
      }
    }
  });

  it('R8: accepts hand-assembled PNGs of every valid colour type / bit depth pair, as pngjs decodes them', () => {
    const pairs: [number, number[]][] = [
      [0, [1, 2, 4, 8, 16]],
      [2, [8, 16]],
      [3, [1, 2, 4, 8]],
      [4, [8, 16]],
      [6, [8, 16]],
    ];
    for (const [colourType, depths] of pairs) {
      for (const bitDepth of depths) {
        const png = handPng({ width: 5, height: 3, bitDepth, colourType });
        // The fixture is a real PNG: an independent decoder reads it.
        expect(PNG.sync.read(Buffer.from(png)).width).toBe(5);
        expectAccepted(png, 5, 3);
      }
    }
  });

  it('R8: accepts an Adam7-interlaced PNG (interlace method 1)', () => {
    const png = handPng({ width: 1, height: 1, bitDepth: 8, colourType: 6, interlace: 1 });
    expect(PNG.sync.read(Buffer.from(png)).height).toBe(1);
    expectAccepted(png, 1, 1);
  });

  it('R8: accepts the largest allowed image, 4096 × 4096', () => {
    expectAccepted(handPng({ width: 4096, height: 4096, bitDepth: 1, colourType: 0 }), 4096, 4096);
  });

  it('R8: accepts ancillary chunks, a suggested palette on truecolour, and image data split over several IDATs', () => {
    const header: Header = { width: 4, height: 4, bitDepth: 8, colourType: 6 };
    const compressed = pixelData(header);
    const png = concat([
      SIGNATURE,
      ihdr(header),
      chunk('gAMA', uint32(45455)),
      chunk('PLTE', new Uint8Array(6)),
      chunk('tEXt', new TextEncoder().encode('Title\0logo')),
      chunk('IDAT', compressed.subarray(0, 5)),
      chunk('IDAT', compressed.subarray(5)),
      chunk('tIME', new Uint8Array(7)),
      IEND,
    ]);
    expect(PNG.sync.read(Buffer.from(png)).width).toBe(4);
    expectAccepted(png, 4, 4);
  });

  it('R8: refuses a PNG announcing 100000 × 100000 pixels, naming the size', () => {
    const huge = concat([SIGNATURE, ihdr({ ...SMALL_HEADER, width: 100000, height: 100000 }), idatOf(), IEND]);
    expectRefused(huge, /image is 100000 × 100000 pixels, at most 4096 × 4096/);
  });

  it('R8: refuses 4097 pixels wide or high', () => {
    expectRefused(concat([SIGNATURE, ihdr({ ...SMALL_HEADER, width: 4097, height: 1 }), idatOf(), IEND]), /4097 × 1 pixels/);
    expectRefused(concat([SIGNATURE, ihdr({ ...SMALL_HEADER, width: 1, height: 4097 }), idatOf(), IEND]), /1 × 4097 pixels/);
  });

  it('R8: refuses widths and heights outside 1..2^31−1', () => {
    for (const [width, height] of [
      [0, 1],
      [1, 0],
      [2 ** 31, 1],
      [1, 0xffffffff],
    ]) {
      expectRefused(concat([SIGNATURE, ihdr({ ...SMALL_HEADER, width: width!, height: height! }), idatOf(), IEND]), /not a valid size/);
    }
  });

  it('R8: refuses a chunk whose CRC does not match (one flipped byte in data, type or CRC)', () => {
    const png = handPng(SMALL_HEADER);
    for (const index of [8 + 4, 8 + 8 + 3, 8 + 12 + 13 - 1, png.length - 1, 8 + 25 + 9]) {
      const broken = png.slice();
      broken[index]! ^= 0x01;
      expectRefused(broken, /checksum|invalid type/);
    }
    const explicit = concat([SIGNATURE, ihdr(SMALL_HEADER), chunk('IDAT', pixelData(SMALL_HEADER), 0x12345678), IEND]);
    expectRefused(explicit, /IDAT chunk at byte 33 fails its checksum/);
  });

  it('R8: refuses every truncation of a small PNG (each prefix length)', () => {
    for (const png of [handPng(SMALL_HEADER), pngjsImage(2, 2, 6, 8)]) {
      expectAccepted(png, PNG.sync.read(Buffer.from(png)).width, PNG.sync.read(Buffer.from(png)).height);
      for (let length = 0; length < png.length; length++) {
        expectRefused(png.subarray(0, length), /truncated|empty|no IEND|no image data/);
      }
    }
  });

  it('R8: refuses a JPEG, saying that it is a JPEG', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
    expectRefused(jpeg, /JPEG image, not a PNG/);
    expectRefused(new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), /GIF image, not a PNG/);
    expectRefused(new TextEncoder().encode('just some text, not an image'), /not a PNG image/);
    expectRefused(new Uint8Array(0), /empty/);
  });

  it('R8: refuses a PNG with no IEND, or with bytes after IEND', () => {
    const withoutEnd = concat([SIGNATURE, ihdr(SMALL_HEADER), idatOf()]);
    expectRefused(withoutEnd, /no IEND/);
    const trailing = concat([handPng(SMALL_HEADER), new Uint8Array([0, 0, 0, 0])]);
    expectRefused(trailing, /4 extra bytes after the end of the PNG/);
    const twoImages = concat([handPng(SMALL_HEADER), handPng(SMALL_HEADER).subarray(8)]);
    expectRefused(twoImages, /extra bytes/);
    expectRefused(concat([SIGNATURE, ihdr(SMALL_HEADER), idatOf(), chunk('IEND', new Uint8Array(1))]), /IEND chunk must be empty/);
  });

  it('R8: refuses IHDR not first, a second IHDR, or an IHDR of the wrong length', () => {
    expectRefused(concat([SIGNATURE, chunk('tEXt', new Uint8Array(3)), ihdr(SMALL_HEADER), idatOf(), IEND]), /first chunk must be IHDR/);
    expectRefused(concat([SIGNATURE, idatOf(), ihdr(SMALL_HEADER), IEND]), /first chunk must be IHDR \(the image header\), found IDAT/);
    expectRefused(concat([SIGNATURE, ihdr(SMALL_HEADER), ihdr(SMALL_HEADER), idatOf(), IEND]), /more than one IHDR/);
    const longHeader = chunk('IHDR', concat([uint32(3), uint32(2), new Uint8Array([8, 2, 0, 0, 0, 0])]));
    expectRefused(concat([SIGNATURE, longHeader, idatOf(), IEND]), /IHDR chunk must be 13 bytes long, it is 14/);
  });

  it('R8: refuses a PNG without IDAT, or with IDAT chunks that are not consecutive', () => {
    expectRefused(concat([SIGNATURE, ihdr(SMALL_HEADER), IEND]), /no image data/);
    const compressed = pixelData(SMALL_HEADER);
    const split = concat([
      SIGNATURE,
      ihdr(SMALL_HEADER),
      chunk('IDAT', compressed.subarray(0, 4)),
      chunk('tEXt', new Uint8Array(2)),
      chunk('IDAT', compressed.subarray(4)),
      IEND,
    ]);
    expectRefused(split, /must be consecutive/);
  });

  it('R8: refuses a bit depth that its colour type does not allow', () => {
    const invalid: [number, number][] = [
      [2, 4],
      [0, 3],
      [0, 32],
      [2, 1],
      [3, 16],
      [4, 4],
      [6, 1],
      [6, 2],
    ];
    for (const [colourType, bitDepth] of invalid) {
      expectRefused(
        concat([SIGNATURE, ihdr({ width: 1, height: 1, bitDepth, colourType }), idatOf(), IEND]),
        new RegExp(`bit depth ${bitDepth} is not valid for colour type ${colourType}`),
      );
    }
    for (const colourType of [1, 5, 7, 255]) {
      expectRefused(concat([SIGNATURE, ihdr({ width: 1, height: 1, bitDepth: 8, colourType }), idatOf(), IEND]), /colour type \d+ does not exist/);
    }
  });

  it('R8: refuses unknown compression, filter and interlace methods', () => {
    expectRefused(concat([SIGNATURE, ihdr({ ...SMALL_HEADER, interlace: 2 }), idatOf(), IEND]), /interlace method 2/);
    expectRefused(concat([SIGNATURE, ihdr({ ...SMALL_HEADER, compression: 1 }), idatOf(), IEND]), /compression method 1/);
    expectRefused(concat([SIGNATURE, ihdr({ ...SMALL_HEADER, filter: 1 }), idatOf(), IEND]), /filter method 1/);
  });

  it('R8: requires PLTE for colour type 3 and forbids it for colour types 0 and 4', () => {
    const indexed: Header = { width: 2, height: 2, bitDepth: 8, colourType: 3 };
    expectRefused(concat([SIGNATURE, ihdr(indexed), idatOf(indexed), IEND]), /needs a PLTE/);
    expectRefused(concat([SIGNATURE, ihdr(indexed), IEND]), /no image data/);
    expectRefused(
      concat([SIGNATURE, ihdr(indexed), idatOf(indexed), chunk('PLTE', new Uint8Array(6)), IEND]),
      /needs a PLTE|must come before the image data/,
    );
    for (const colourType of [0, 4]) {
      const header: Header = { width: 2, height: 2, bitDepth: 8, colourType };
      expectRefused(concat([SIGNATURE, ihdr(header), chunk('PLTE', new Uint8Array(6)), idatOf(header), IEND]), /must not have a PLTE/);
    }
    for (const size of [0, 4, 257 * 3]) {
      expectRefused(concat([SIGNATURE, ihdr(indexed), chunk('PLTE', new Uint8Array(size)), idatOf(indexed), IEND]), /1 to 256 RGB entries/);
    }
    expectRefused(
      concat([SIGNATURE, ihdr(indexed), chunk('PLTE', new Uint8Array(6)), chunk('PLTE', new Uint8Array(6)), idatOf(indexed), IEND]),
      /more than one PLTE/,
    );
  });

  it('R8: refuses chunk types that are not 4 ASCII letters, and unknown critical chunks', () => {
    expectRefused(concat([SIGNATURE, ihdr(SMALL_HEADER), chunk('tE1t', new Uint8Array(1)), idatOf(), IEND]), /invalid type/);
    expectRefused(concat([SIGNATURE, ihdr(SMALL_HEADER), chunk('ABCD', new Uint8Array(1)), idatOf(), IEND]), /unknown critical chunk ABCD/);
    expectAccepted(concat([SIGNATURE, ihdr(SMALL_HEADER), chunk('abCd', new Uint8Array(1)), idatOf(), IEND]), 3, 2);
  });

  it('R8: refuses a chunk length above 2^31−1 or beyond the end of the file', () => {
    const huge = concat([SIGNATURE, ihdr(SMALL_HEADER), uint32(0x80000000), new TextEncoder().encode('IDAT'), IEND]);
    expectRefused(huge, /more than PNG allows/);
    const beyond = concat([SIGNATURE, ihdr(SMALL_HEADER), uint32(1000), new TextEncoder().encode('IDAT'), IEND]);
    expectRefused(beyond, /truncated/);
  });

  it('R8: refuses a file of exactly 10 MiB and accepts a well-formed one of 10 MiB − 1 byte', () => {
    const fill = (total: number) => {
      const head = concat([SIGNATURE, ihdr(SMALL_HEADER), idatOf()]);
      const padding = total - head.length - IEND.length - 12;
      return concat([head, chunk('zzZz', new Uint8Array(padding)), IEND]);
    };
    const tenMiB = fill(10 * 1024 * 1024);
    expect(tenMiB.length).toBe(10 * 1024 * 1024);
    expectRefused(tenMiB, /10485760 bytes \(10\.0 MiB\); it must be smaller than 10 MiB/);
    const justUnder = fill(PNG_LIMITS.maxBytes);
    expect(justUnder.length).toBe(10 * 1024 * 1024 - 1);
    expectAccepted(justUnder, 3, 2);
  });

  it('R8: never throws on non-Uint8Array input', () => {
    for (const value of [null, undefined, 42, 'png', [1, 2], {}, new ArrayBuffer(8), new Uint16Array(4)]) {
      expect(inspectPng(value as unknown as Uint8Array).ok).toBe(false);
    }
  });

  it('R8: random bytes never throw and either pass or give a message (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 300 }), (withSignature, bytes) => {
        const data = withSignature ? concat([SIGNATURE, bytes]) : bytes;
        const result = inspectPng(data);
        if (result.ok) {
          expect(result.width).toBeGreaterThanOrEqual(1);
          expect(result.height).toBeLessThanOrEqual(4096);
        } else {
          expect(typeof result.message).toBe('string');
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('R8: single-byte mutations of a valid PNG never throw; those in CRC-covered bytes are refused (property)', () => {
    const png = pngjsImage(3, 3, 6, 8);
    const covered = crcCoveredRanges(png);
    expectAccepted(png, 3, 3);
    fc.assert(
      fc.property(fc.nat({ max: png.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const mutated = png.slice();
        mutated[index] = (mutated[index]! + delta) & 0xff;
        const result = inspectPng(mutated);
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
        const inCrc = covered.some(([start, end]) => index >= start && index < end);
        if (inCrc || index < 8) expect(result.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('R8: random sequences of chunks with valid CRCs never throw, and pass only in a legal order (property)', () => {
    const chunkArbitrary = fc.oneof(
      fc
        .record({
          width: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(0x7fffffff, 0x80000000, 0xffffffff)),
          height: fc.integer({ min: 0, max: 5000 }),
          bitDepth: fc.constantFrom(0, 1, 2, 4, 8, 16, 3),
          colourType: fc.constantFrom(0, 2, 3, 4, 6, 1),
          compression: fc.constantFrom(0, 0, 1),
          filter: fc.constantFrom(0, 0, 1),
          interlace: fc.constantFrom(0, 1, 2),
        })
        .map((header) => ({ type: 'IHDR', bytes: ihdr(header) })),
      fc.uint8Array({ maxLength: 9 }).map((bytes) => ({ type: 'PLTE', bytes: chunk('PLTE', bytes) })),
      fc.uint8Array({ maxLength: 9 }).map((bytes) => ({ type: 'IDAT', bytes: chunk('IDAT', bytes) })),
      fc.uint8Array({ maxLength: 2 }).map((bytes) => ({ type: 'IEND', bytes: chunk('IEND', bytes) })),
      fc.uint8Array({ maxLength: 5 }).map((bytes) => ({ type: 'tEXt', bytes: chunk('tEXt', bytes) })),
    );
    // Half the cases are framed by a valid IHDR and IEND, so that the accepting branch is reached too.
    const framed = { head: { type: 'IHDR', bytes: ihdr(SMALL_HEADER) }, tail: { type: 'IEND', bytes: IEND } };
    let accepted = 0;
    fc.assert(
      fc.property(fc.boolean(), fc.array(chunkArbitrary, { maxLength: 8 }), (frame, middle) => {
        const chunks = frame ? [framed.head, ...middle, framed.tail] : middle;
        const result = inspectPng(concat([SIGNATURE, ...chunks.map((item) => item.bytes)]));
        if (result.ok) {
          accepted++;
          const types = chunks.map((item) => item.type);
          expect(types[0]).toBe('IHDR');
          expect(types.at(-1)).toBe('IEND');
          expect(types.filter((type) => type === 'IHDR' || type === 'IEND')).toHaveLength(2);
          const idats = types.flatMap((type, index) => (type === 'IDAT' ? [index] : []));
          expect(idats.length).toBeGreaterThan(0);
          expect(idats.at(-1)! - idats[0]!).toBe(idats.length - 1);
          expect(result.width).toBeLessThanOrEqual(4096);
          expect(result.height).toBeLessThanOrEqual(4096);
        } else {
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------

function expectIssues(input: unknown): { path: string; message: string }[] {
  const result = checkImageInput(input);
  expect(result.isErr()).toBe(true);
  if (result.isOk()) throw new Error('unreachable');
  expect(result.error.code).toBe('validation');
  if (result.error.code !== 'validation') throw new Error('unreachable');
  expect(result.error.issues.length).toBeGreaterThan(0);
  for (const issue of result.error.issues) expect(issue.path).toMatch(/^image(\.|$)/);
  return result.error.issues;
}

describe('checkImageInput', () => {
  const png = pngjsImage(7, 5, 2, 8);

  it('R8: accepts logo.png with PNG bytes and answers a private plain copy with its size', () => {
    const buffer = Buffer.from(png);
    const result = checkImageInput({ fileName: 'logo.png', data: buffer });
    expect(result.isOk()).toBe(true);
    if (result.isErr()) throw new Error(result.error.message);
    const image = result.value;
    expect(image).toMatchObject({ fileName: 'logo.png', byteLength: png.length, width: 7, height: 5 });
    expect(Object.getPrototypeOf(image.data)).toBe(Uint8Array.prototype);
    expect(Buffer.isBuffer(image.data)).toBe(false);
    expect(image.data).toEqual(png);
    buffer[20] = 0xff;
    expect(image.data[20]).toBe(png[20]);
  });

  it('R8: accepts a Uint8Array from another realm and a subarray view', () => {
    const foreign = runInNewContext('new Uint8Array(length)', { length: png.length }) as Uint8Array;
    foreign.set(png);
    expect(checkImageInput({ fileName: 'a1.png', data: foreign }).isOk()).toBe(true);
    const padded = concat([new Uint8Array(5), png, new Uint8Array(3)]);
    const view = padded.subarray(5, 5 + png.length);
    const result = checkImageInput({ fileName: 'a1.png', data: view });
    expect(result.isOk() && result.value.data.byteLength).toBe(png.length);
  });

  it('R8: file names must be lowercase letters and digits followed by .png', () => {
    for (const fileName of ['logo.png', 'a.png', '0.png', 'logo2024.png']) {
      expect(checkImageInput({ fileName, data: png }).isOk()).toBe(true);
    }
    for (const fileName of ['Logo.png', 'logo.PNG', '.png', 'my-logo.png', 'logo.png.exe', 'logo', '', 'my logo.png', 'logo_1.png', 'ロゴ.png', 'logo.png\n', 'a/b.png']) {
      const issues = expectIssues({ fileName, data: png });
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('image.fileName');
    }
    expect(expectIssues({ fileName: 'logo.PNG', data: png })[0]!.message).toMatch(/lowercase \.png/);
    expect(expectIssues({ fileName: 'Logo.png', data: png })[0]!.message).toMatch(/lowercase letters a-z and digits/);
    expect(expectIssues({ fileName: 42, data: png })[0]!.message).toMatch(/must be a string, got number/);
    expect(expectIssues({ data: png })[0]).toEqual({ path: 'image.fileName', message: 'required, like logo.png' });
  });

  it('R8: a JPEG named .png, a truncated PNG and a 100000 × 100000 PNG are refused at image.data', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 0, 0, 0]);
    expect(expectIssues({ fileName: 'photo.png', data: jpeg })).toEqual([{ path: 'image.data', message: expect.stringMatching(/JPEG/) }]);
    expect(expectIssues({ fileName: 'logo.png', data: png.subarray(0, png.length - 1) })[0]!.path).toBe('image.data');
    const huge = concat([SIGNATURE, ihdr({ ...SMALL_HEADER, width: 100000, height: 100000 }), idatOf(), IEND]);
    const issues = expectIssues({ fileName: 'logo.png', data: huge });
    expect(issues).toEqual([{ path: 'image.data', message: expect.stringMatching(/100000 × 100000 pixels, at most 4096 × 4096/) }]);
    const result = checkImageInput({ fileName: 'logo.png', data: huge });
    expect(result.isErr() && result.error.message).toMatch(/^image\.data: image is 100000 × 100000 pixels/);
  });

  it('R8: data must be a Uint8Array (not an ArrayBuffer, array, string, other typed array or proxy)', () => {
    const proxy = new Proxy(png, {});
    for (const data of [png.buffer, Array.from(png), 'iVBORw0KGgo=', new Uint16Array(4), new Uint8ClampedArray(png), new DataView(png.buffer), proxy, null, 1]) {
      const issues = expectIssues({ fileName: 'logo.png', data });
      expect(issues).toEqual([{ path: 'image.data', message: expect.stringMatching(/must be a Uint8Array/) }]);
    }
    expect(expectIssues({ fileName: 'logo.png' })).toEqual([{ path: 'image.data', message: expect.stringMatching(/required/) }]);
  });

  it('R8: refuses 10 MiB of data before copying or parsing it', () => {
    const issues = expectIssues({ fileName: 'logo.png', data: new Uint8Array(10 * 1024 * 1024) });
    expect(issues).toEqual([{ path: 'image.data', message: expect.stringMatching(/smaller than 10 MiB/) }]);
  });

  it('R8, R27: unknown fields are named as on every input, __proto__ included; all issues come together', () => {
    expect(expectIssues({ fileName: 'logo.png', data: png, filename: 'x' })).toEqual([{ path: 'image', message: 'unknown field(s): filename' }]);
    const polluted = JSON.parse('{"fileName":"logo.png","__proto__":{"isAdmin":true}}') as Record<string, unknown>;
    polluted.data = png;
    expect(expectIssues(polluted)).toEqual([{ path: 'image', message: 'unknown field(s): __proto__' }]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const issues = expectIssues({ fileName: 'Bad.png', data: 'nope', size: 1 });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['image', 'image.data', 'image.fileName']);
    expect(issues.find((issue) => issue.path === 'image')?.message).toBe('unknown field(s): size');
  });

  it('R8: never throws on non-objects, class instances, proxies with throwing traps and throwing getters', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const inputs: unknown[] = [
      null,
      undefined,
      0,
      'logo.png',
      true,
      Symbol('image'),
      10n,
      [],
      [png],
      png,
      new Map([['fileName', 'logo.png']]),
      new (class Image {
        fileName = 'logo.png';
        data = png;
      })(),
      () => undefined,
      revoked,
      new Proxy({}, { getPrototypeOf: throwing }),
      new Proxy({ fileName: 'logo.png', data: png }, { ownKeys: throwing }),
      new Proxy({ fileName: 'logo.png', data: png }, { get: throwing }),
      new Proxy({ fileName: 'logo.png', data: png }, { getOwnPropertyDescriptor: throwing }),
      Object.defineProperty({ fileName: 'logo.png' }, 'data', { enumerable: true, get: throwing }),
      Object.defineProperty({ data: png }, 'fileName', { enumerable: true, get: throwing }),
      { fileName: { toString: throwing }, data: { length: 8 } },
      Object.assign(Object.create(null) as object, { fileName: 'x', data: revoked }),
    ];
    for (const input of inputs) expect(() => expectIssues(input)).not.toThrow();
    expect(expectIssues(null)).toEqual([{ path: 'image', message: 'must be an object { fileName, data }, got null' }]);
    // A getter that throws stops the reading of the whole input (nothing half-read is kept).
    expect(expectIssues(Object.defineProperty({ fileName: 'logo.png' }, 'data', { enumerable: true, get: throwing }))).toEqual([
      { path: 'image', message: 'could not read the input: boom' },
    ]);
    expect(expectIssues(new (class Image {
      fileName = 'logo.png';
      data = png;
    })())).toEqual([{ path: 'image', message: 'must be an object { fileName, data }, got object' }]);
  });

  it('R8: a null-prototype object is accepted like a plain one', () => {
    const input = Object.assign(Object.create(null) as object, { fileName: 'logo.png', data: png });
    expect(checkImageInput(input).isOk()).toBe(true);
  });

  it('R8: never throws whatever it is given, and always answers image.* validation issues (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withTypedArray: true, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withDate: true }),
          fc.record(
            { fileName: fc.oneof(fc.string(), fc.constant('logo.png'), fc.anything()), data: fc.oneof(fc.uint8Array(), fc.anything()) },
            { requiredKeys: [] },
          ),
          fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'fileName', 'data', 'constructor')), fc.anything()),
        ),
        (input) => {
          const result = checkImageInput(input);
          if (result.isErr()) {
            expect(result.error.code).toBe('validation');
            if (result.error.code === 'validation') {
              for (const issue of result.error.issues) expect(issue.path).toMatch(/^image(\.|$)/);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

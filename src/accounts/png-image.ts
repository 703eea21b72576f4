/**
 * The account image (R8): a structural check of PNG files and of the `{ fileName, data }` input.
 *
 * Pure and free of Node built-ins, so it runs in a browser as well as in Node: it reads bytes
 * from a plain `Uint8Array` and never decompresses anything. It checks the container (signature,
 * chunks, CRCs, header fields, chunk order), which is what a decoder needs to trust before it
 * allocates `width × height` pixels.
 *
 * @module
 */
import type { Result } from 'neverthrow';
import * as z from 'zod';
import type { CxError } from '../errors.js';
import { crc32 } from '../internal/crc32.js';
import { isPlainObject, isUint8Array, typeName } from '../internal/value-kinds.js';
import { parseInput } from '../validation/parse-input.js';

/**
 * The limits R8 puts on an account image: fewer than 10 × 1024 × 1024 bytes, at most
 * 4096 × 4096 pixels.
 *
 * @example
 * ```ts
 * if (file.size > PNG_LIMITS.maxBytes) showError('The image must be smaller than 10 MiB.');
 * ```
 */
export const PNG_LIMITS = {
  /** Largest accepted file, in bytes (one less than 10 MiB). */
  maxBytes: 10 * 1024 * 1024 - 1,
  /** Widest accepted image, in pixels. */
  maxWidth: 4096,
  /** Tallest accepted image, in pixels. */
  maxHeight: 4096,
} as const;

/** What {@link inspectPng} answers: the pixel size of a well-formed PNG, or why it is not one. */
export type PngInspection = { ok: true; width: number; height: number } | { ok: false; message: string };

/** A checked account image, as {@link checkImageInput} returns it. */
export type CheckedImage = {
  /** The file name, matching `^[a-z0-9]+\.png$`. */
  fileName: string;
  /** A private copy of the PNG bytes (never the caller's buffer). */
  data: Uint8Array;
  /** Size of the file in bytes. */
  byteLength: number;
  /** Width in pixels, 1 to {@link PNG_LIMITS}.maxWidth. */
  width: number;
  /** Height in pixels, 1 to {@link PNG_LIMITS}.maxHeight. */
  height: number;
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const MAX_CHUNK_LENGTH = 0x7fffffff;
const MAX_DIMENSION = 0x7fffffff;
const CHUNK_OVERHEAD = 12; // length (4) + type (4) + CRC (4)
const IHDR_LENGTH = 13;

/** Bit depths the PNG specification allows for each colour type. */
const BIT_DEPTHS_BY_COLOUR_TYPE: ReadonlyMap<number, readonly number[]> = new Map([
  [0, [1, 2, 4, 8, 16]],
  [2, [8, 16]],
  [3, [1, 2, 4, 8]],
  [4, [8, 16]],
  [6, [8, 16]],
]);

const COLOUR_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'greyscale'],
  [2, 'truecolour'],
  [3, 'indexed-colour'],
  [4, 'greyscale with alpha'],
  [6, 'truecolour with alpha'],
]);

const KNOWN_CRITICAL_CHUNKS = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

/** Other image formats people rename to `.png`, recognised so the message can say what the file is. */
const OTHER_FORMATS: readonly { name: string; matches: (data: Uint8Array) => boolean }[] = [
  { name: 'a JPEG', matches: (data) => startsWith(data, [0xff, 0xd8, 0xff]) },
  { name: 'a GIF', matches: (data) => startsWith(data, [0x47, 0x49, 0x46, 0x38]) },
  {
    name: 'a WebP',
    matches: (data) => startsWith(data, [0x52, 0x49, 0x46, 0x46]) && startsWith(data.subarray(8), [0x57, 0x45, 0x42, 0x50]),
  },
];

// The intrinsic %TypedArray%.prototype[@@toStringTag] getter: it reads the internal slot, so it
// cannot be fooled by proxies or look-alike objects and works across realms (iframes, vm).
const typedArrayByteLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength')
  ?.get as ((this: unknown) => number) | undefined;


function startsWith(data: Uint8Array, prefix: readonly number[]): boolean {
  if (data.length < prefix.length) return false;
  return prefix.every((byte, index) => data[index] === byte);
}

function readUint32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

function isAsciiLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

function describeBytes(count: number): string {
  const mebibytes = count / (1024 * 1024);
  return `${count} bytes (${mebibytes.toFixed(1)} MiB)`;
}

function fail(message: string): PngInspection {
  return { ok: false, message };
}

const TRUNCATED = 'the file is truncated (it ends in the middle of the PNG); upload the whole file again';

/**
 * Checks that `data` is a well-formed PNG within the R8 limits, without decoding pixels:
 * the 8-byte signature; every chunk with a sane length, a 4-letter type and a valid CRC;
 * IHDR first, with a valid width, height, bit depth for its colour type, compression, filter
 * and interlace methods; PLTE where the colour type needs it (and not where it forbids it);
 * one run of consecutive IDAT chunks; IEND last with nothing after it; fewer than 10 MiB
 * and at most 4096 × 4096 pixels. Never throws.
 *
 * @example
 * ```ts
 * const result = inspectPng(bytes);
 * if (result.ok) console.log(`${result.width} × ${result.height}`);
 * else console.log(result.message); // e.g. 'this file is a JPEG image, not a PNG; …'
 * ```
 */
export function inspectPng(data: Uint8Array): PngInspection {
  try {
    return inspectPngUnsafe(data);
  } catch {
    // Unreachable for a real Uint8Array; kept so that no caller ever sees an exception.
    return fail('the file could not be read as a PNG');
  }
}

function inspectPngUnsafe(data: Uint8Array): PngInspection {
  if (!isUint8Array(data)) return fail('must be the bytes of a PNG file (a Uint8Array)');
  // The size comes first: it is cheap and bounds all the work below.
  if (data.length > PNG_LIMITS.maxBytes) {
    return fail(`the file is ${describeBytes(data.length)}; it must be smaller than 10 MiB (${PNG_LIMITS.maxBytes + 1} bytes)`);
  }
  if (data.length === 0) return fail('the file is empty; upload a PNG image');

  const other = OTHER_FORMATS.find((format) => format.matches(data));
  if (other) {
    return fail(`this file is ${other.name} image, not a PNG; convert it to PNG (renaming it is not enough) and upload it again`);
  }
  if (data.length < PNG_SIGNATURE.length) {
    return data.every((byte, index) => byte === PNG_SIGNATURE[index])
      ? fail(TRUNCATED)
      : fail('this file is not a PNG image (it does not start with the PNG signature); upload a PNG file');
  }
  if (!startsWith(data, PNG_SIGNATURE)) {
    return fail('this file is not a PNG image (it does not start with the PNG signature); upload a PNG file');
  }

  let width = 0;
  let height = 0;
  let colourType = -1;
  let sawPalette = false;
  let idatState: 'none' | 'inside' | 'after' = 'none';
  let chunkIndex = 0;
  let offset = PNG_SIGNATURE.length;

  while (offset < data.length) {
    if (data.length - offset < CHUNK_OVERHEAD) return fail(TRUNCATED);
    const length = readUint32(data, offset);
    if (length > MAX_CHUNK_LENGTH) {
      return fail(`the PNG is corrupt: a chunk at byte ${offset} announces ${length} bytes, more than PNG allows`);
    }
    if (length > data.length - offset - CHUNK_OVERHEAD) return fail(TRUNCATED);

    const typeStart = offset + 4;
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    for (let i = typeStart; i < dataStart; i++) {
      if (!isAsciiLetter(data[i]!)) {
        return fail(`the PNG is corrupt: the chunk at byte ${offset} has an invalid type (chunk types are 4 ASCII letters)`);
      }
    }
    const type = String.fromCharCode(data[typeStart]!, data[typeStart + 1]!, data[typeStart + 2]!, data[typeStart + 3]!);
    if (crc32(data, typeStart, dataEnd) !== readUint32(data, dataEnd)) {
      return fail(`the PNG is corrupt: the ${type} chunk at byte ${offset} fails its checksum (CRC); upload an undamaged file`);
    }

    if (chunkIndex === 0 && type !== 'IHDR') {
      return fail(`the PNG is corrupt: its first chunk must be IHDR (the image header), found ${type}`);
    }
    switch (type) {
      case 'IHDR': {
        if (chunkIndex !== 0) return fail('the PNG is corrupt: it has more than one IHDR chunk');
        if (length !== IHDR_LENGTH) {
          return fail(`the PNG is corrupt: the IHDR chunk must be ${IHDR_LENGTH} bytes long, it is ${length}`);
        }
        const header = checkHeader(data, dataStart);
        if (!header.ok) return header;
        ({ width, height } = header);
        colourType = data[dataStart + 9]!;
        break;
      }
      case 'PLTE': {
        if (sawPalette) return fail('the PNG is corrupt: it has more than one PLTE (palette) chunk');
        if (idatState !== 'none') return fail('the PNG is corrupt: the PLTE (palette) chunk must come before the image data');
        if (colourType === 0 || colourType === 4) {
          return fail(`the PNG is corrupt: a ${COLOUR_TYPE_NAMES.get(colourType)} image must not have a PLTE (palette) chunk`);
        }
        if (length === 0 || length % 3 !== 0 || length > 256 * 3) {
          return fail('the PNG is corrupt: the PLTE (palette) chunk must hold 1 to 256 RGB entries');
        }
        sawPalette = true;
        break;
      }
      case 'IDAT': {
        if (idatState === 'after') {
          return fail('the PNG is corrupt: its image data (IDAT chunks) must be consecutive, another chunk sits between them');
        }
        if (colourType === 3 && !sawPalette) {
          return fail('the PNG is corrupt: an indexed-colour image needs a PLTE (palette) chunk before its image data');
        }
        idatState = 'inside';
        break;
      }
      case 'IEND': {
        if (length !== 0) return fail('the PNG is corrupt: the IEND chunk must be empty');
        if (idatState === 'none') return fail('the PNG has no image data (no IDAT chunk); upload a complete PNG image');
        if (dataEnd + 4 !== data.length) {
          return fail(
            `the file has ${data.length - dataEnd - 4} extra bytes after the end of the PNG (IEND); upload the PNG file alone`,
          );
        }
        return { ok: true, width, height };
      }
      default: {
        // A critical chunk (upper-case first letter) we do not know cannot be safely displayed.
        if (isCriticalType(type) && !KNOWN_CRITICAL_CHUNKS.has(type)) {
          return fail(`the PNG uses an unknown critical chunk ${type}, which image viewers cannot display safely`);
        }
        if (idatState === 'inside') idatState = 'after';
      }
    }
    chunkIndex++;
    offset = dataEnd + 4;
  }

  if (chunkIndex === 0) return fail(TRUNCATED);
  if (idatState === 'none') return fail('the PNG has no image data (no IDAT chunk); it may be truncated, upload the whole file');
  return fail('the PNG has no IEND chunk at its end; it is probably truncated, upload the whole file again');
}

function isCriticalType(type: string): boolean {
  const first = type.charCodeAt(0);
  return first >= 0x41 && first <= 0x5a;
}

/** Checks the 13 bytes of IHDR that start at `start`. */
function checkHeader(data: Uint8Array, start: number): PngInspection {
  const width = readUint32(data, start);
  const height = readUint32(data, start + 4);
  const bitDepth = data[start + 8]!;
  const colourType = data[start + 9]!;
  const compression = data[start + 10]!;
  const filter = data[start + 11]!;
  const interlace = data[start + 12]!;

  if (width === 0 || height === 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
    return fail(`the PNG is corrupt: its header announces ${width} × ${height} pixels, which is not a valid size`);
  }
  if (width > PNG_LIMITS.maxWidth || height > PNG_LIMITS.maxHeight) {
    return fail(
      `image is ${width} × ${height} pixels, at most ${PNG_LIMITS.maxWidth} × ${PNG_LIMITS.maxHeight}; resize it and upload it again`,
    );
  }
  const depths = BIT_DEPTHS_BY_COLOUR_TYPE.get(colourType);
  if (!depths) return fail(`the PNG is corrupt: colour type ${colourType} does not exist (valid: 0, 2, 3, 4, 6)`);
  if (!depths.includes(bitDepth)) {
    return fail(
      `the PNG is corrupt: bit depth ${bitDepth} is not valid for colour type ${colourType} (${COLOUR_TYPE_NAMES.get(colourType)}), ` +
        `which allows ${depths.join(', ')}`,
    );
  }
  if (compression !== 0) return fail(`the PNG is corrupt: compression method ${compression} does not exist (only 0)`);
  if (filter !== 0) return fail(`the PNG is corrupt: filter method ${filter} does not exist (only 0)`);
  if (interlace !== 0 && interlace !== 1) {
    return fail(`the PNG is corrupt: interlace method ${interlace} does not exist (only 0 or 1)`);
  }
  return { ok: true, width, height };
}

const FILE_NAME_PATTERN = /^[a-z0-9]+\.png$/;

/** R8's file name: required, a string, lowercase letters and digits followed by `.png`. */
const fileNameSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'required, like logo.png' : `must be a string, got ${typeName(issue.input)}`) })
  .check((ctx) => {
    const problem = fileNameProblem(ctx.value);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

/** R8's bytes: a `Uint8Array` holding a well-formed PNG within the limits, answered as a private copy. */
const pngDataSchema = z.unknown().transform((value, ctx) => {
  const checked = checkPngData(value);
  if (typeof checked === 'string') {
    ctx.addIssue({ code: 'custom', message: checked });
    return z.NEVER;
  }
  return checked;
});

/**
 * The account image input `{ fileName, data }` of R8, the one definition of its rules: a plain
 * object (a class instance or a `Map` is refused before anything is read from it) with no
 * unknown field (named as on every input: `unknown field(s): …`), then the two fields.
 */
export const imageInputSchema = z
  .custom<object>(isPlainObject, { error: (issue) => `must be an object { fileName, data }, got ${typeName(issue.input)}` })
  .pipe(z.strictObject({ fileName: fileNameSchema, data: pngDataSchema }))
  .transform(({ fileName, data }): CheckedImage => ({ fileName, data: data.data, byteLength: data.data.byteLength, width: data.width, height: data.height }));

/**
 * Validates an account image input `{ fileName, data }` (R8) and answers a checked copy, or a
 * `validation` error whose issues sit at `image` (not an object, unknown fields),
 * `image.fileName` or `image.data`. `data` may be any `Uint8Array` (a Node `Buffer` too); the result holds
 * a private plain `Uint8Array` copy, so later changes to the caller's buffer do not leak in.
 * Never throws, whatever it is given (`null`, proxies, throwing getters, `__proto__` keys): an
 * input that throws while it is read is refused at `image`.
 *
 * @example
 * ```ts
 * const image = checkImageInput({ fileName: 'logo.png', data: await file.bytes() });
 * if (image.isOk()) console.log(image.value.width, image.value.height, image.value.byteLength);
 * else console.log(image.error.message); // 'image.fileName: …' or 'image.data: …'
 * ```
 */
export function checkImageInput(input: unknown): Result<CheckedImage, CxError> {
  return parseInput(imageInputSchema, input, 'image');
}

/** The PNG bytes of an image input, copied and inspected, or what is wrong with them. */
function checkPngData(value: unknown): { data: Uint8Array; width: number; height: number } | string {
  if (value === undefined) return 'required: the bytes of a PNG file';
  if (!isUint8Array(value)) return `must be a Uint8Array with the bytes of a PNG file, got ${typeName(value)}`;
  const byteLength = typedArrayByteLength ? typedArrayByteLength.call(value) : value.byteLength;
  if (byteLength > PNG_LIMITS.maxBytes) {
    return `the file is ${describeBytes(byteLength)}; it must be smaller than 10 MiB (${PNG_LIMITS.maxBytes + 1} bytes)`;
  }
  // Copy first, then inspect the copy: the caller's buffer may change (or be shared) afterwards.
  const copy = new Uint8Array(byteLength);
  copy.set(value);
  const inspection = inspectPng(copy);
  return inspection.ok ? { data: copy, width: inspection.width, height: inspection.height } : inspection.message;
}

/** What is wrong with a file name string, or `undefined`. */
function fileNameProblem(value: string): string | undefined {
  if (FILE_NAME_PATTERN.test(value)) return undefined;
  const shown = value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  const rule = 'use only lowercase letters a-z and digits, followed by .png (like logo.png)';
  if (value === '') return `must not be empty; ${rule}`;
  if (!value.endsWith('.png')) {
    return value.toLowerCase().endsWith('.png')
      ? `the extension must be lowercase .png, got ${shown}`
      : `must end with .png, got ${shown}; ${rule}`;
  }
  if (value === '.png') return `needs a name before .png, got ${shown}; ${rule}`;
  return `${rule}; got ${shown}`;
}

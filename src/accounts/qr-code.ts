import { bilevelScanlineBytes, writeBilevelPng } from '../internal/png-writer.js';

/**
 * Options of `accounts.qrCode`.
 *
 * @category Accounts
 */
export type QrCodeOptions = {
  /** `'png'` (default) answers bytes, `'svg'` answers markup. */
  format?: 'png' | 'svg';
  /** Width in pixels of the PNG (and of the SVG's `width`/`height`), 64–2048; default 512. */
  size?: number;
};

/** The quiet zone around the code, in modules: 4 is what the QR standard asks for. */
const QUIET_ZONE = 4;

/** The modules of a QR code, quiet zone included: `count` × `count`, row by row, 1 is dark. */
type QrModules = { count: number; dark: Uint8Array };

/** `qrcode` (CommonJS, some twenty modules) is loaded on the first code drawn, not on import. */
let encoder: Promise<typeof import('qrcode')> | undefined;

/**
 * The modules of the QR code of `text` (error correction M), with the quiet zone around them.
 * `qrcode`'s `create` answers the module matrix only, with no Node built-in: the same code runs
 * in Node and, through the package's `browser` field, in a browser bundle.
 */
async function qrModules(text: string): Promise<QrModules> {
  encoder ??= import('qrcode');
  const { modules } = (await encoder).create(text, { errorCorrectionLevel: 'M' });
  const inner = modules.size;
  const count = inner + 2 * QUIET_ZONE;
  const dark = new Uint8Array(count * count);
  for (let y = 0; y < inner; y++) {
    dark.set(modules.data.subarray(y * inner, (y + 1) * inner), (y + QUIET_ZONE) * count + QUIET_ZONE);
  }
  return { count, dark };
}

/**
 * For each of `size` pixels along one side, the module it shows. Each module is a whole number
 * of pixels and what is left over widens the white margin (which shows module -1); with fewer
 * pixels than modules, the code is scaled down as evenly as possible.
 */
function moduleOfPixel(size: number, count: number): Int32Array {
  const map = new Int32Array(size);
  const scale = Math.floor(size / count);
  if (scale >= 1) {
    const offset = Math.floor((size - scale * count) / 2);
    for (let pixel = 0; pixel < size; pixel++) {
      const module = Math.floor((pixel - offset) / scale);
      map[pixel] = pixel >= offset && module < count ? module : -1;
    }
  } else {
    for (let pixel = 0; pixel < size; pixel++) map[pixel] = Math.floor((pixel * count) / size);
  }
  return map;
}

/**
 * Renders a URL as a QR code PNG of `size` × `size` pixels. Each module is a whole number of
 * pixels; what is left over widens the white margin. Uses web APIs only (no `Buffer`).
 *
 * One scanline is drawn per row of modules and copied to the pixel rows that show that row, so
 * the work grows with the modules and the image's bytes, not with its pixels one by one.
 *
 * @example
 * ```ts
 * const png = await renderQrPng('https://talk.example.com/add/x1', 512);
 * ```
 *
 * @category Accounts
 */
export async function renderQrPng(url: string, size: number): Promise<Uint8Array> {
  const { count, dark } = await qrModules(url);
  const moduleAt = moduleOfPixel(size, count);
  const line = bilevelScanlineBytes(size);
  const scanlines = new Uint8Array(line * size); // filter byte 0 (None) on every line
  let drawnModuleRow = -2; // the module row of the line above (-1: the margin)
  for (let y = 0; y < size; y++) {
    const start = y * line;
    const moduleRow = moduleAt[y]!;
    if (moduleRow === drawnModuleRow) {
      scanlines.copyWithin(start, start - line, start);
      continue;
    }
    drawnModuleRow = moduleRow;
    scanlines.fill(0xff, start + 1, start + line); // white, padding bits included
    if (moduleRow < 0) continue;
    const rowStart = moduleRow * count;
    for (let x = 0; x < size; x++) {
      const module = moduleAt[x]!;
      if (module >= 0 && dark[rowStart + module] === 1) scanlines[start + 1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
  }
  return writeBilevelPng(size, size, scanlines);
}

/**
 * Renders a URL as a QR code SVG document of `size` × `size` pixels: one path of unit squares
 * on a white background, scaled by the `viewBox`.
 *
 * @example
 * ```ts
 * const svg = await renderQrSvg('https://talk.example.com/add/x1', 256); // '<svg xmlns=… width="256" …'
 * ```
 *
 * @category Accounts
 */
export async function renderQrSvg(url: string, size: number): Promise<string> {
  const { count, dark } = await qrModules(url);
  let path = '';
  for (let y = 0; y < count; y++) {
    // Runs of dark modules become one rectangle each: a shorter path than one square per module.
    const row = y * count;
    let x = 0;
    while (x < count) {
      if (dark[row + x] !== 1) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < count && dark[row + x] === 1) x += 1;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${count} ${count}" shape-rendering="crispEdges">` +
    `<rect width="${count}" height="${count}" fill="#fff"/><path fill="#000" d="${path}"/></svg>\n`
  );
}

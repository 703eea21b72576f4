import { encode } from 'uqr';
import { writeBilevelPng } from '../internal/png-writer.js';

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

/**
 * The modules of the QR code of `text` (error correction M, quiet zone included): `true` is dark.
 * uqr is pure ECMAScript, so this runs the same in Node and in a browser.
 */
function qrModules(text: string): boolean[][] {
  return encode(text, { ecc: 'M', border: QUIET_ZONE }).data;
}

/**
 * Renders a URL as a QR code PNG of `size` × `size` pixels. Each module is a whole number of
 * pixels; what is left over widens the white margin. Uses web APIs only (no `Buffer`).
 *
 * @example
 * ```ts
 * const png = await renderQrPng('https://talk.example.com/add/x1', 512);
 * ```
 *
 * @category Accounts
 */
export async function renderQrPng(url: string, size: number): Promise<Uint8Array> {
  const modules = qrModules(url);
  const count = modules.length;
  const scale = Math.floor(size / count);
  if (scale >= 1) {
    const offset = Math.floor((size - scale * count) / 2);
    const moduleAt = (pixel: number) => Math.floor((pixel - offset) / scale);
    return writeBilevelPng({
      width: size,
      height: size,
      isDark: (x, y) => modules[moduleAt(y)]?.[moduleAt(x)] === true,
    });
  }
  // Fewer pixels than modules cannot draw the code; scale it down as evenly as possible.
  const moduleAt = (pixel: number) => Math.floor((pixel * count) / size);
  return writeBilevelPng({ width: size, height: size, isDark: (x, y) => modules[moduleAt(y)]?.[moduleAt(x)] === true });
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
  const modules = qrModules(url);
  const count = modules.length;
  let path = '';
  modules.forEach((row, y) => {
    // Runs of dark modules become one rectangle each: a shorter path than one square per module.
    let x = 0;
    while (x < count) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < count && row[x]) x += 1;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${count} ${count}" shape-rendering="crispEdges">` +
    `<rect width="${count}" height="${count}" fill="#fff"/><path fill="#000" d="${path}"/></svg>\n`
  );
}

/**
 * `accounts.qrCode` rendering: the PNG at 512 px against the renderer it replaced (a pixel-by-
 * pixel `isDark(x, y)` lookup into the module matrix, kept below as the baseline only) and
 * against the SVG of the same code, in one run. Both PNG renderers draw the same `qrcode`
 * matrix; the old one compresses with the platform's `CompressionStream`, the new one with our
 * row-repeating deflate (src/internal/zlib-deflate.ts). Both images are checked to hold the
 * same pixels before timing.
 *
 *   npx tsx test/bench/qr-code.bench.ts [--size 512]
 *
 * Goal (issue 18, item 13): the PNG at 512 px in ≤ 5 ms, where the old one took ~48 ms and
 * the SVG ~8 ms. Several URLs (QR versions 3 to 10) are rendered in turn.
 */
import { create } from 'qrcode';
import { Bench } from 'tinybench';
import { renderQrPng, renderQrSvg } from '../../src/accounts/qr-code.js';
import { crc32 } from '../../src/internal/crc32.js';
import { inflateSync } from 'node:zlib';

const sizeFlag = process.argv.indexOf('--size');
const SIZE = sizeFlag >= 0 ? Number(process.argv[sizeFlag + 1]) : 512;
const GOAL_MS = 5;

const urls = [20, 60, 120, 240].map((length) => `https://talk.example.com/add/${'Zx9_-AbCdEfGhIjKlMnOpQ'.repeat(12).slice(0, length)}`);

// ── The baseline: the renderer before this change (per-pixel lookup), on qrcode's matrix. ──
async function oldZlibDeflate(data: Uint8Array): Promise<Uint8Array> {
  const source = new Blob([data as Uint8Array<ArrayBuffer>]).stream();
  return new Uint8Array(await new Response(source.pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
}
function oldModules(text: string): boolean[][] {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const count = modules.size + 8;
  return Array.from({ length: count }, (_, y) => Array.from({ length: count }, (_, x) => x >= 4 && y >= 4 && x < count - 4 && y < count - 4 && modules.get(y - 4, x - 4) === 1));
}
async function oldWriteBilevelPng(image: { width: number; height: number; isDark(x: number, y: number): boolean }): Promise<Uint8Array> {
  const { width, height } = image;
  const rowBytes = 1 + Math.ceil(width / 8);
  const raw = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes + 1;
    for (let x = 0; x < width; x++) if (!image.isDark(x, y)) raw[row + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([1, 0, 0, 0, 0], 8);
  const chunk = (type: string, data: Uint8Array) => {
    const bytes = new Uint8Array(12 + data.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, data.length);
    bytes.set(new TextEncoder().encode(type), 4);
    bytes.set(data, 8);
    view.setUint32(8 + data.length, crc32(bytes, 4, 8 + data.length));
    return bytes;
  };
  const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', await oldZlibDeflate(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
async function oldRenderQrPng(url: string, size: number): Promise<Uint8Array> {
  const modules = oldModules(url);
  const count = modules.length;
  const scale = Math.floor(size / count);
  const offset = Math.floor((size - scale * count) / 2);
  const moduleAt = (pixel: number) => Math.floor((pixel - offset) / scale);
  return oldWriteBilevelPng({ width: size, height: size, isDark: (x, y) => modules[moduleAt(y)]?.[moduleAt(x)] === true });
}

/** The scanlines of one of our PNGs (one IDAT chunk after IHDR), inflated. */
function scanlinesOf(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset);
  const idat = 8 + 25; // signature, IHDR chunk
  return inflateSync(png.subarray(idat + 8, idat + 8 + view.getUint32(idat)));
}

// Same picture from both renderers, or the comparison means nothing.
for (const url of urls) {
  const [before, after] = [await oldRenderQrPng(url, SIZE), await renderQrPng(url, SIZE)];
  if (Buffer.compare(scanlinesOf(before), scanlinesOf(after)) !== 0) throw new Error(`the two PNG renderers differ for ${url}`);
  console.log(`${url.length} characters: PNG ${before.length} bytes before, ${after.length} bytes now`);
}

let turn = 0;
const nextUrl = () => urls[turn++ % urls.length]!;
const bench = new Bench({ time: 1500, warmup: true, warmupTime: 300 });
bench
  .add(`PNG ${SIZE} px, before (per-pixel lookup)`, async () => void (await oldRenderQrPng(nextUrl(), SIZE)))
  .add(`PNG ${SIZE} px, now (one scanline per module row)`, async () => void (await renderQrPng(nextUrl(), SIZE)))
  .add(`SVG ${SIZE} px (reference)`, async () => void (await renderQrSvg(nextUrl(), SIZE)));
await bench.run();

const latency = (index: number) => {
  const result = bench.tasks[index]?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`${bench.tasks[index]?.name}: ${result?.state ?? 'missing'}`);
  return result.latency;
};
const mean = (index: number) => latency(index).mean;
bench.tasks.forEach((task, index) => console.log(`${task.name.padEnd(48)} ${mean(index).toFixed(3)} ms mean, p50 ${latency(index).p50?.toFixed(3)} ms`));
const now = mean(1);
console.log(`\nPNG now vs before: ${(mean(0) / now).toFixed(1)}× faster; vs SVG: ${(now / mean(2)).toFixed(2)}× the SVG's time`);
console.log(`goal ≤ ${GOAL_MS} ms at 512 px: ${now <= GOAL_MS ? 'met' : 'NOT met'} (${now.toFixed(2)} ms)`);

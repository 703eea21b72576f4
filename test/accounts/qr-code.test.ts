import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { inspectPng } from '../../src/accounts/png-image.js';
import { renderQrPng, renderQrSvg } from '../../src/accounts/qr-code.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { expectOk } from '../../testing/conformance/expectations.js';
import { seedAccount, seedProduct } from '../../testing/conformance/seed.js';

type DecodeQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr ships CommonJS; under NodeNext its callable sits on `default` (TOOLCHAIN.md).
const jsQrModule = jsQR as unknown as { default?: DecodeQr } & DecodeQr;
const decodeQr: DecodeQr = jsQrModule.default ?? jsQrModule;

describe('QR code', () => {
  it('R11: decoding the PNG gives back the contact URL exactly', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    for (const [id, size] of [['help', undefined], ['small', 128], ['large', 1024]] as const) {
      const account = await seedAccount(cx, { id });
      const png = expectOk(await cx.accounts.qrCode('acme', id, size ? { size } : undefined));
      const image = PNG.sync.read(Buffer.from(png));
      expect(image.width).toBe(size ?? 512);
      const decoded = decodeQr(new Uint8ClampedArray(image.data), image.width, image.height);
      expect(decoded?.data).toBe(account.contactUrl);
    }
  });

  it('R11: the SVG draws the same code at the asked size', async () => {
    const { cx } = makeFixture(memoryStore());
    await seedProduct(cx);
    await seedAccount(cx);
    const svg = expectOk(await cx.accounts.qrCode('acme', 'help', { format: 'svg', size: 256 }));
    expect(svg).toMatch(/^<svg[^>]*width="256"/);
    expect(svg).toContain('<path');
  });

  it('R11: the SVG decodes back to the URL (its squares drawn into pixels)', async () => {
    const url = 'https://talk.example.com/add/Zx9_-AbCdEfGhIjKlMnOpQ';
    const svg = await renderQrSvg(url, 256);
    const count = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
    expect(count).toBeGreaterThan(20);
    const scale = 8;
    const side = count * scale;
    const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
    const path = /<path[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? '';
    for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
        for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) pixels.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
      }
    }
    expect(decodeQr(pixels, side, side)?.data).toBe(url);
  });

  it('R11: the PNG passes our own R8 check, also when the size is smaller than the modules', async () => {
    const url = `https://talk.example.com/${'a'.repeat(170)}/add/Zx9_-AbCdEfGhIjKlMnOpQ`;
    for (const size of [64, 333, 2048]) {
      const png = await renderQrPng(url, size);
      expect(inspectPng(png)).toEqual({ ok: true, width: size, height: size });
      const image = PNG.sync.read(Buffer.from(png));
      if (size >= 333) expect(decodeQr(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(url);
    }
  });

  it('R11: every code decodes to its URL, PNG and SVG, from short URLs to long ones (qrcode draws the matrix)', async () => {
    const urlChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~.%/'.split(''));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: urlChars, minLength: 1, maxLength: 400 }), fc.constantFrom(200, 256, 512, 777), async (tail, size) => {
        const url = `https://talk.example.com/add/${tail}`;
        const image = PNG.sync.read(Buffer.from(await renderQrPng(url, size)));
        expect([image.width, image.height]).toEqual([size, size]);
        expect(decodeQr(new Uint8ClampedArray(image.data), size, size)?.data).toBe(url);
        expect(decodeQr(...svgPixels(await renderQrSvg(url, size)))?.data).toBe(url);
      }),
      { numRuns: 25 },
    );
  });

  it('R11: the PNG shows the same modules as the SVG, each a square of whole pixels inside a white margin', async () => {
    const url = 'https://talk.example.com/add/Zx9_-AbCdEfGhIjKlMnOpQ';
    const [pixels, side] = svgPixels(await renderQrSvg(url, 256), 1);
    const count = side;
    for (const size of [count, count * 3, count * 3 + 5, 512]) {
      const image = PNG.sync.read(Buffer.from(await renderQrPng(url, size)));
      const scale = Math.floor(size / count);
      const offset = Math.floor((size - scale * count) / 2);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const mx = Math.floor((x - offset) / scale);
          const my = Math.floor((y - offset) / scale);
          const inCode = x >= offset && y >= offset && mx < count && my < count;
          const expected = inCode ? pixels[(my * count + mx) * 4]! : 255;
          if (image.data[(y * size + x) * 4] !== expected) throw new Error(`pixel ${x},${y} of the ${size} px PNG differs from the SVG`);
        }
      }
    }
  });
});

/** Draws an SVG of ours into RGBA pixels, `scale` pixels a module, as jsQR reads them. */
function svgPixels(svg: string, scale = 4): [Uint8ClampedArray, number, number] {
  const count = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const side = count * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  const path = /<path[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? '';
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) pixels.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
    }
  }
  return [pixels, side, side];
}

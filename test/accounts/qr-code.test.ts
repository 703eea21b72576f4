import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
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
});

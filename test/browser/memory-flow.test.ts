import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import jsQR from 'jsqr';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAvailabilityPage, isNodeBuiltin } from '../../examples/browser/build.js';
import type { FlowResult } from './support/memory-flow-page.js';

const CHROMIUM = '/usr/bin/chromium';
/** A name that is not loopback to the browser (so a page from it on plain http is no secure context), sent to 127.0.0.1. */
const PLAIN_HTTP_HOST = 'cx-demo.test';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-sync',
  `--host-resolver-rules=MAP ${PLAIN_HTTP_HOST} 127.0.0.1`,
];
const PAGE_SCRIPT = fileURLToPath(new URL('./support/memory-flow-page.ts', import.meta.url));

type DecodeQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr ships CommonJS; under NodeNext its callable sits on `default` (TOOLCHAIN.md).
const jsQrModule = jsQR as unknown as { default?: DecodeQr } & DecodeQr;
const decodeQr: DecodeQr = jsQrModule.default ?? jsQrModule;

// Under CI=true a missing Chromium is a failure (launching it fails), else a notice and a skip.
const chromiumMissing = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (chromiumMissing) console.warn(`[skip] the memory-store flow in Chromium: ${CHROMIUM} is not installed`);

// R11, R22–R23, R25–R26 in a real browser: the root entry and the memory store use web APIs
// only (no Buffer, no node: module), bundled by esbuild for the browser.
describe.skipIf(chromiumMissing)('the whole flow on the memory store in headless Chromium', () => {
  let browser: Browser;
  let directory: string;
  let fileUrl: string;
  let server: Server;
  let port: number;
  let bundleInputs: string[];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cx-browser-flow-'));
    const bundle = await buildAvailabilityPage({ entryPoint: PAGE_SCRIPT, outdir: directory });
    bundleInputs = bundle.inputs;
    await writeFile(
      join(directory, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>flow</title></head><body><script src="memory-flow-page.js"></script></body></html>',
    );
    // A file: page is a secure context, so crypto.randomUUID exists as on an https: site.
    fileUrl = pathToFileURL(join(directory, 'index.html')).href;
    // The same page over plain http, from 127.0.0.1 (loopback: still a secure context) and from
    // a name that is not (no crypto.randomUUID, no crypto.subtle; R57).
    const files: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/memory-flow-page.js': 'memory-flow-page.js' };
    server = createServer((request, response) => {
      const file = files[new URL(request.url ?? '/', 'http://x').pathname];
      if (!file) return void response.writeHead(404).end();
      readFile(join(directory, file)).then(
        (body) => response.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const pages = [
    { name: 'a file: page', url: () => fileUrl, secure: true },
    { name: 'a page on http://127.0.0.1', url: () => `http://127.0.0.1:${port}/`, secure: true },
    { name: `a page on plain http://${PLAIN_HTTP_HOST} (no secure context: no crypto.randomUUID, no crypto.subtle)`, url: () => `http://${PLAIN_HTTP_HOST}:${port}/`, secure: false },
  ];
  for (const { name, url, secure } of pages) it(`R57: on ${name}, creates an account, draws its QR code, replies automatically, downloads the backup as CSV and JSONL, and reads the event log`, async () => {
    const pageUrl = url();
    expect(bundleInputs.filter(isNodeBuiltin)).toEqual([]);
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pageUrl);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    expect(await page.evaluate(() => window.flowError ?? null)).toBeNull();
    const result = (await page.evaluate(() => window.flowResult)) as FlowResult;
    expect(result.secureContext).toBe(secure);
    expect(result.crypto).toEqual({ randomUUID: secure, subtle: secure, getRandomValues: true });

    expect(result.accountId).toBe('help');
    expect(result.image).toEqual({ width: 32, height: 32 });
    const png = PNG.sync.read(Buffer.from(result.qrPng));
    expect(png.width).toBe(512);
    expect(decodeQr(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(result.contactUrl);
    expect(result.qrSvg).toMatch(/^<svg[^>]*width="256"/);
    // Welcome on the first contact; one away message for two messages at night (R22, R23).
    expect(result.replies).toEqual(['어서 오세요', '=Closed, back at 9', null]);
    expect(result.backupStatus).toBe('ready');

    const [download] = await Promise.all([page.waitForEvent('download'), page.evaluate(() => window.downloadBackup!())]);
    expect(download.suggestedFilename()).toBe('history-backup.csv');
    const csv = await readFile(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^account_id,account_name,customer_name,sent_at,sender,content/);
    const body = lines.slice(1).join('\r\n');
    expect(body).toContain('help,상담 Help,"Lee, ""Jay"""');
    expect(body).toContain('2026-11-27T20:00:00.000+09:00');
    expect(body).toContain('"Hello?\nAnyone?"');
    expect(body).toContain("'=Closed, back at 9");
    // The event log, gap-free, with the actor of cx.as (R30–R33); the JSONL backup (R45).
    expect(result.events.map((event) => event.seq)).toEqual(result.events.map((_, index) => index + 1));
    expect(result.events.map((event) => event.type)).toEqual([
      'product.set',
      'account.created',
      'settings.updated',
      'contact.added',
      'auto_reply.sent',
      'message.received',
      'auto_reply.sent',
      'message.received',
      'backup.requested',
      'backup.ready',
      'agents.removed',
      'agents.added',
    ]);
    expect(result.events.at(-1)?.actor).toBe('admin:u1');
    const jsonl = result.jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(jsonl.map((row) => row.content)).toEqual(['어서 오세요', 'Hello?\nAnyone?', '=Closed, back at 9', 'Still there?']);
    expect(jsonl[1]).toMatchObject({ account_id: 'help', account_name: '상담 Help', customer_name: 'Lee, "Jay"', sent_at: '2026-11-27T20:00:00.000+09:00', sender_kind: 'customer', channel: 'line' });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

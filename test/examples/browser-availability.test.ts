import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAvailabilityPage, isNodeBuiltin } from '../../examples/browser/build.js';
import { ROOT } from './run-example.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGE_URL = pathToFileURL(join(ROOT, 'examples', 'browser-availability.html')).href;

describe('examples/browser: the availability page bundle', () => {
  it('builds for the browser with no Node built-in in it (R21: availability and nextChange are browser-safe)', async () => {
    const page = await buildAvailabilityPage();
    expect(page.outfile).toBe(join(ROOT, 'examples', 'browser', 'dist', 'availability-page.js'));
    expect(page.bytes).toBeGreaterThan(1000);
    expect(page.inputs.some((input) => input.endsWith('src/schedule/availability.ts'))).toBe(true);
    expect(page.inputs.some((input) => input.endsWith('src/schedule/next-change.ts'))).toBe(true);
    expect(page.inputs.filter((input) => input.startsWith('node:') || isNodeBuiltin(input))).toEqual([]);
  });

  it('refuses a script that imports a Node built-in', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cx-browser-'));
    try {
      const entryPoint = join(directory, 'uses-fs.ts');
      await writeFile(entryPoint, "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync);\n");
      await expect(buildAvailabilityPage({ entryPoint, outdir: join(directory, 'dist') })).rejects.toThrow(/"node:fs" is a Node built-in/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) console.warn(`[skip] examples/browser-availability.html in Chromium: ${CHROMIUM} is not installed`);

describe.skipIf(chromiumMissing)('examples/browser-availability.html in headless Chromium', () => {
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildAvailabilityPage();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(query: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${PAGE_URL}?${query}`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  it('shows open and the next change for Seoul, and recomputes for another zone', async () => {
    // 2026-11-25T03:00Z is Wednesday 12:00 in Seoul and Tuesday 22:00 in New York.
    const page = await open('tz=Asia/Seoul&at=2026-11-25T03:00:00Z');
    expect(await page.textContent('#state')).toBe('Open');
    expect(await page.getAttribute('#state', 'data-state')).toBe('open');
    expect(await page.textContent('#local-time')).toBe('Wed 2026-11-25 12:00 in Asia/Seoul');
    expect(await page.textContent('#next-change')).toBe(
      'Away (outside operating hours) from Wed 2026-11-25 18:00 (2026-11-25T09:00:00.000Z)',
    );
    expect(await page.locator('#weekly-hours tr').count()).toBe(7);

    await page.selectOption('#time-zone', 'America/New_York');
    expect(await page.textContent('#state')).toBe('Away (outside operating hours)');
    expect(await page.textContent('#local-time')).toBe('Tue 2026-11-24 22:00 in America/New_York');
    expect(await page.getAttribute('#next-change', 'data-at')).toBe('2026-11-25T14:00:00.000Z');
    expect(await page.getAttribute('#next-change', 'data-state')).toBe('open');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows a holiday, and the change when it ends at local midnight', async () => {
    const page = await open('tz=Asia/Tokyo&at=2026-12-25T03:00:00Z');
    expect(await page.getAttribute('#state', 'data-state')).toBe('holiday');
    expect(await page.textContent('#state')).toBe('Holiday');
    // Saturday 00:00 in Tokyo: the holiday ends, and Saturday opens only at 10:00.
    expect(await page.getAttribute('#next-change', 'data-at')).toBe('2026-12-25T15:00:00.000Z');
    expect(await page.getAttribute('#next-change', 'data-state')).toBe('away');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('follows the wall clock across a daylight-saving change', async () => {
    // Saturday 2026-03-07 15:00 in New York (EST). Clocks spring forward on Sunday, so Monday
    // 09:00 is EDT: 13:00 UTC, not 14:00.
    const page = await open('tz=America/New_York&at=2026-03-07T20:00:00Z');
    expect(await page.getAttribute('#state', 'data-state')).toBe('away');
    expect(await page.textContent('#next-change')).toBe('Open from Mon 2026-03-09 09:00 (2026-03-09T13:00:00.000Z)');
    // Berlin changes three weeks later: Monday 09:00 is still CET, 08:00 UTC.
    await page.selectOption('#time-zone', 'Europe/Berlin');
    expect(await page.getAttribute('#next-change', 'data-at')).toBe('2026-03-09T08:00:00.000Z');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});

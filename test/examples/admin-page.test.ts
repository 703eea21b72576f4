// The admin page (examples/admin-page) in Chromium: every screen of the seed's page, driven by
// label and role with real clicks and typing, in Korean and in English. What the page shows is
// checked against what the library answers; screenshots go to examples/output/admin-page/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { parse } from 'csv-parse/sync';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCxAccounts, type CxAccounts } from '../../src/index.js';
import { memoryDirectory } from '../../adapters/memory/index.js';
import { openSqlite } from '../../adapters/sql/index.js';
import { createAdminApp } from '../../examples/admin-page/app.js';
import { DEMO_DOMAIN, DEMO_MEMBERS, seedDemo } from '../../examples/admin-page/demo-data.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];
const SCREENSHOTS = fileURLToPath(new URL('../../examples/output/admin-page/', import.meta.url));
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium`);
  console.warn(`[skip] the admin page in Chromium: ${CHROMIUM} is not installed`);
}

type DecodeQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQrModule = jsQR as unknown as { default?: DecodeQr } & DecodeQr;
const decodeQr: DecodeQr = jsQrModule.default ?? jsQrModule;

function pngFile(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let index = 0; index < png.data.length; index += 4) png.data.set([30, 90, 160, 255], index);
  return PNG.sync.write(png);
}

describe.skipIf(chromiumMissing)('the admin page (examples/admin-page) in Chromium', () => {
  let directory: string;
  let cx: CxAccounts;
  let close: () => Promise<void>;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cx-admin-page-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    const store = await openSqlite(join(directory, 'admin.sqlite'));
    close = () => store.close();
    const members = memoryDirectory(DEMO_MEMBERS.map((member) => ({ ...member, domainId: DEMO_DOMAIN })));
    cx = createCxAccounts({
      store,
      directory: members,
      contactUrlBase: 'https://talk.example.com/add/',
      timeZone: 'Asia/Seoul',
    });
    expect(await seedDemo(cx, new Date())).toBeNull();
    const app = createAdminApp({ cx, directory: members, domainId: DEMO_DOMAIN, admins: DEMO_MEMBERS });
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await close?.();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  async function signedIn(language: 'ko' | 'en', memberName: string): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, locale: language === 'ko' ? 'ko-KR' : 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in?lang=${language}`);
    await page.getByRole('button', { name: language === 'ko' ? `${memberName}(으)로 로그인` : `Sign in as ${memberName}` }).click();
    await page.waitForURL(`${base}/products`);
    return page;
  }
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('R2, R9, R10, R11, R5, R6, R8, R3/R4 in Korean: overview, list with QR codes, create with an image, and each refusal next to its field', async () => {
    const page = await signedIn('ko', '김민지');
    // Product overview, as products.overview answers it.
    const overview = (await cx.products.overview(DEMO_DOMAIN))._unsafeUnwrap();
    await expect(page.getByRole('heading', { name: '상품 현황' }).isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('total-purchased').textContent()).toBe(String(overview.totalPurchased));
    expect(await page.getByTestId('active-accounts').textContent()).toBe(String(overview.activeAccounts));
    const standardRow = page.getByRole('row', { name: /Standard/ });
    expect(await standardRow.getByRole('cell').allTextContents()).toEqual(['3', '5', '2', '3']);
    await shoot(page, 'products-ko');

    // The account list, with each QR code decoding to its contact URL.
    await page.getByRole('link', { name: '상담 계정' }).click();
    const helpRow = page.getByRole('row', { name: /고객센터/ });
    const help = (await cx.accounts.get(DEMO_DOMAIN, 'help'))._unsafeUnwrap();
    expect(await helpRow.getByRole('link', { name: help.contactUrl }).count()).toBe(1);
    const qr = await page.request.get(`${base}/accounts/help/qr.png`);
    const image = PNG.sync.read(await qr.body());
    expect(decodeQr(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(help.contactUrl);
    expect(await helpRow.getByRole('img', { name: '고객센터 친구 추가 QR 코드' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await shoot(page, 'accounts-ko');

    // Create: every refusal shows next to its field, in Korean.
    await page.getByRole('link', { name: '계정 만들기' }).click();
    const imagePath = join(directory, 'logo.png');
    await writeFile(imagePath, pngFile(64, 64));
    const fakePath = join(directory, 'photo.png');
    await writeFile(fakePath, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]));
    await page.getByLabel('계정 이름').fill('고객센터');
    await page.getByLabel('계정 ID').fill('Help-2');
    await page.getByLabel('상품').selectOption('basic');
    await page.getByLabel('프로필 이미지').setInputFiles(fakePath);
    await page.getByLabel('김민지 <minji@acme.test>').check();
    await page.getByLabel('이서준 <seojun@acme.test>').check();
    await page.getByRole('button', { name: '만들기' }).click();
    const idError = await page.locator('#id-error').textContent();
    expect(idError).toMatch(/[가-힣]/);
    expect(await page.getByLabel('계정 ID').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#image-error').textContent()).toMatch(/PNG/);
    // The ID fixed, a real PNG chosen and one agent: now only the name is wrong.
    await page.getByLabel('계정 ID').fill('help2');
    await page.getByLabel('이서준 <seojun@acme.test>').uncheck();
    await page.getByLabel('프로필 이미지').setInputFiles(imagePath);
    expect(await page.locator('#image-preview').isVisible()).toBe(true);
    await page.getByRole('button', { name: '만들기' }).click();
    expect(await page.locator('#name-error').textContent()).toMatch(/[가-힣]/);
    // A free name, but two agents on a one-seat product.
    await page.getByLabel('계정 이름').fill('반품 센터');
    await page.getByLabel('이서준 <seojun@acme.test>').check();
    await page.getByLabel('프로필 이미지').setInputFiles(imagePath);
    await page.getByRole('button', { name: '만들기' }).click();
    expect(await page.locator('#agentIds-error').textContent()).toMatch(/[가-힣]/);
    await shoot(page, 'create-refused-ko');
    // Within the seat limit it is created, with its image.
    await page.getByLabel('이서준 <seojun@acme.test>').uncheck();
    await page.getByLabel('프로필 이미지').setInputFiles(imagePath);
    await page.getByRole('button', { name: '만들기' }).click();
    await page.getByRole('status').filter({ hasText: 'help2' }).waitFor();
    const created = (await cx.accounts.get(DEMO_DOMAIN, 'help2'))._unsafeUnwrap();
    expect(created).toMatchObject({ name: '반품 센터', productId: 'basic', agentIds: ['u1'], image: { fileName: 'logo.png', width: 64, height: 64 } });
    await page.context().close();
  });

  it('R15, R16, R34, R17 in English: add agents, remove one, swap the only agent of a one-seat account, check access', async () => {
    const page = await signedIn('en', 'Alex Kim');
    await page.goto(`${base}/accounts/billing/agents`);
    await page.getByLabel('Search members').fill('acme.test');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('Sam Lee <sam@acme.test>').check();
    await page.getByRole('button', { name: 'Add the picked members' }).click();
    await page.getByRole('status').filter({ hasText: 'Changed.' }).waitFor();
    expect((await cx.accounts.get(DEMO_DOMAIN, 'billing'))._unsafeUnwrap().agentIds.sort()).toEqual(['u4', 'u5', 'u7']);
    await page.getByRole('button', { name: 'Remove 정도윤' }).click();
    await page.getByRole('status').filter({ hasText: 'Changed.' }).waitFor();
    expect((await cx.accounts.get(DEMO_DOMAIN, 'billing'))._unsafeUnwrap().agentIds.sort()).toEqual(['u4', 'u7']);
    // Over the seat limit: refused, shown, nothing changed.
    await page.getByLabel('Search members').fill('acme.test');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('김민지 <minji@acme.test>').check();
    await page.getByLabel('이서준 <seojun@acme.test>').check();
    await page.getByRole('button', { name: 'Add the picked members' }).click();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/seat/i);
    expect((await cx.accounts.get(DEMO_DOMAIN, 'billing'))._unsafeUnwrap().agentIds).toHaveLength(2);

    // The only agent of the one-seat account `sales` swapped in one step.
    await page.goto(`${base}/accounts/sales/agents?q=alex`);
    await page.getByLabel('Alex Kim <alex@acme.test>').check();
    await page.getByRole('button', { name: 'Replace agents' }).click();
    await page.getByRole('status').filter({ hasText: 'Changed.' }).waitFor();
    expect((await cx.accounts.get(DEMO_DOMAIN, 'sales'))._unsafeUnwrap().agentIds).toEqual(['u6']);
    await page.getByLabel('Member ID').fill('u3');
    await page.getByRole('button', { name: 'Check access' }).click();
    expect(await page.getByTestId('access-answer').textContent()).toBe('u3: no access');
    await shoot(page, 'agents-en');
    // Removing the last agent is refused.
    await page.getByRole('button', { name: 'Remove Alex Kim' }).click();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/last agent|at least one/i);
    await page.context().close();
  });

  it('R18–R21, R43, R44 in Korean: hours with several ranges, messages, holidays and channels saved in one Save', async () => {
    const page = await signedIn('ko', '김민지');
    await page.goto(`${base}/accounts/help/settings`);
    const before = (await cx.accounts.get(DEMO_DOMAIN, 'help'))._unsafeUnwrap();
    expect(await page.getByTestId('availability').textContent()).toMatch(/지금 (상담 가능|상담 시간 외|휴일)/);
    // A refusal first: a range that ends before it starts, shown next to Monday.
    await page.getByLabel('월요일').fill('10:00-09:00');
    await page.getByRole('button', { name: '설정 저장' }).click();
    expect(await page.locator('#hours-mon-error').textContent()).toMatch(/[가-힣]/);
    expect((await cx.accounts.get(DEMO_DOMAIN, 'help'))._unsafeUnwrap().version).toBe(before.version);

    const nextYear = new Date().getUTCFullYear() + 1;
    await page.getByLabel('월요일').fill('09:00-12:00, 13:00-18:00');
    await page.getByLabel('토요일').fill('10:00-14:00');
    await page.getByLabel('부재 메시지').fill('지금은 쉬는 시간입니다.');
    await page.getByLabel('시작일 (새 휴일 1)').fill(`${nextYear}-01-01`);
    await page.getByLabel('종료일 (새 휴일 1)').fill(`${nextYear}-01-02`);
    await page.getByLabel('이름 (새 휴일 1)').fill('신정');
    await page.getByLabel('LINE 연결').uncheck();
    await page.getByRole('button', { name: '설정 저장' }).click();
    await page.getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();
    const after = (await cx.accounts.get(DEMO_DOMAIN, 'help'))._unsafeUnwrap();
    expect(after.version).toBe(before.version + 1);
    expect(after.settings.weeklyHours.mon).toEqual([{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }]);
    expect(after.settings.weeklyHours.sat).toEqual([{ from: '10:00', to: '14:00' }]);
    expect(after.settings.awayMessage).toBe('지금은 쉬는 시간입니다.');
    expect(after.settings.holidays).toMatchObject([{ start: `${nextYear}-01-01`, end: `${nextYear}-01-02`, label: '신정' }]);
    expect(after.settings.channels).toEqual({ line: false, mail: true });
    await shoot(page, 'settings-ko');
    // The holiday removed again by unticking it: one more Save, one more version.
    await page.getByLabel(new RegExp(`${nextYear}-01-01 – ${nextYear}-01-02 신정 유지`)).uncheck();
    await page.getByRole('button', { name: '설정 저장' }).click();
    await page.getByRole('status').filter({ hasText: '저장했습니다.' }).waitFor();
    expect((await cx.accounts.get(DEMO_DOMAIN, 'help'))._unsafeUnwrap().settings.holidays).toEqual([]);
    await page.context().close();
  });

  it('R25, R26, R45, R46, R24, R33 in English and Korean: a backup downloaded and decoded, a reset with its report, the audit trail', async () => {
    const page = await signedIn('en', 'Alex Kim');
    await page.getByRole('link', { name: 'History backup' }).click();
    await page.getByLabel('고객센터 (help)').check();
    await page.getByLabel('CSV (spreadsheet)').check();
    await page.getByRole('button', { name: 'Request a backup' }).click();
    await page.getByRole('link', { name: 'Download' }).waitFor({ timeout: 60_000 });
    await shoot(page, 'backup-en');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
    const file = await readFile(await download.path());
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(file.subarray(3).toString('utf8'), { columns: true }) as Record<string, string>[];
    const history = (await cx.conversations.history(DEMO_DOMAIN, { accountId: 'help', limit: 500 }))._unsafeUnwrap();
    expect(rows.map((row) => row.content)).toEqual(history.items.map((message) => message.content));
    expect(new Set(rows.map((row) => row.account_id))).toEqual(new Set(['help']));

    // Reset `billing`: the confirmation lists what goes and stays, the answer lists the ids.
    await page.goto(`${base}/accounts/billing/reset`);
    expect(await page.getByRole('listitem').allTextContents()).toContain('The consultation history (it can be backed up)');
    await page.getByRole('button', { name: 'Reset' }).click();
    const billingAgents = (await page.getByTestId('released-agents').textContent())?.split(', ').sort();
    expect(billingAgents).toEqual(['u4', 'u7']);
    expect((await cx.accounts.get(DEMO_DOMAIN, 'billing')).isErr()).toBe(true);

    // The audit, newest first, with the acting admin.
    await page.getByRole('link', { name: 'Audit' }).click();
    const firstRow = page.getByRole('row').nth(1);
    expect(await firstRow.getByRole('cell').nth(2).textContent()).toBe('admin:u6');
    expect(await firstRow.getByRole('cell').nth(3).textContent()).toBe('account.reset');
    await shoot(page, 'audit-en');
    await page.context().close();

    // The same audit in Korean.
    const korean = await signedIn('ko', '김민지');
    await korean.getByRole('link', { name: '감사 기록' }).click();
    expect(await korean.getByRole('columnheader', { name: '행동한 사람' }).count()).toBe(1);
    await korean.context().close();
  });

  it('refuses a form without the session\'s CSRF token, and an upload over 10 MB before reading it', async () => {
    const page = await signedIn('en', 'Alex Kim');
    const forged = await page.request.post(`${base}/accounts/sales/reset`, { form: { _csrf: 'forged' } });
    expect(forged.status()).toBe(403);
    expect((await cx.accounts.get(DEMO_DOMAIN, 'sales')).isOk()).toBe(true);
    const huge = await page.request.post(`${base}/accounts`, {
      multipart: { _csrf: 'x', image: { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024) } },
    });
    expect(huge.status()).toBe(413);
    await page.context().close();
  });
});

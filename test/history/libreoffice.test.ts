import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/index.js';
import { backupNow, historyFixture } from './history-fixture.js';

/** The LibreOffice executable, or `null` when it is not installed (Debian package `libreoffice-calc`). */
function findLibreOffice(): string | null {
  for (const command of ['soffice', 'libreoffice']) {
    const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    if (!probe.error && probe.status === 0) return command;
  }
  return null;
}

const libreOffice = findLibreOffice();
if (!libreOffice) {
  console.warn('R26 LibreOffice check skipped: LibreOffice is not installed (apt-get install libreoffice-calc to run it).');
}

/** The files of a zip archive (an .xlsx), read through its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const count = archive.readUInt16LE(end + 10);
  let entry = archive.readUInt32LE(end + 16);
  for (let index = 0; index < count; index++) {
    const method = archive.readUInt16LE(entry + 10);
    const compressedSize = archive.readUInt32LE(entry + 20);
    const nameLength = archive.readUInt16LE(entry + 28);
    const extraLength = archive.readUInt16LE(entry + 30);
    const commentLength = archive.readUInt16LE(entry + 32);
    const localHeader = archive.readUInt32LE(entry + 42);
    const name = archive.subarray(entry + 46, entry + 46 + nameLength).toString('utf8');
    const dataStart = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
    const data = archive.subarray(dataStart, dataStart + compressedSize);
    files.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    entry += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

const decodeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');

describe('R26: the backup opened as a person would (LibreOffice)', () => {
  it.skipIf(!libreOffice)(
    'R26: LibreOffice Calc reads Korean text right and runs no formula from the file',
    async () => {
      const fixture = historyFixture(memoryStore());
      const { cx } = fixture;
      await fixture.seedProducts();
      await fixture.account('acme', 'help', '상담센터', 'Asia/Seoul');
      (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: '김민지', channel: 'line' }))._unsafeUnwrap();
      const contents = ['안녕하세요, 주문 문의입니다.', '=1+1', '=HYPERLINK("http://evil.test","click")', '@SUM(1,2)', '+82 10-1234-5678', '-3+4'];
      for (const content of contents) {
        (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content, channel: 'line' }))._unsafeUnwrap();
      }
      const { bytes } = await backupNow(cx, 'acme');

      const directory = mkdtempSync(join(tmpdir(), 'cx-backup-lo-'));
      try {
        const csvPath = join(directory, 'history.csv');
        writeFileSync(csvPath, bytes);
        // A fresh profile, so a LibreOffice already open (or a parallel run) does not get in the way.
        // Import options as Calc's Text Import dialog sets them on opening this file: it sees the
        // BOM and picks UTF-8 (76); comma, double quote, from line 1. Headless, there is no dialog,
        // and without options LibreOffice 7.4 reads any CSV as Latin-1 whatever its BOM.
        const converted = spawnSync(
          libreOffice!,
          [
            `-env:UserInstallation=${pathToFileURL(join(directory, 'profile')).href}`,
            '--headless',
            '--infilter=CSV:44,34,76,1',
            '--convert-to',
            'xlsx',
            '--outdir',
            directory,
            csvPath,
          ],
          { encoding: 'utf8', timeout: 120_000 },
        );
        expect(converted.status, converted.stderr).toBe(0);
        const workbook = unzip(readFileSync(join(directory, 'history.xlsx')));
        const sheet = workbook.get('xl/worksheets/sheet1.xml')!.toString('utf8');
        const strings = [...(workbook.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((match) =>
          decodeXml([...match[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((text) => text[1]).join('')),
        );

        expect(sheet).not.toMatch(/<f[\s>]/); // no formula cell at all
        expect(strings).toEqual(expect.arrayContaining(['account_id', '상담센터', '김민지', '안녕하세요, 주문 문의입니다.']));
        // The guarded cells are text, shown with their apostrophe, never evaluated.
        for (const content of contents.slice(1)) expect(strings).toContain(`'${content}`);
        expect(strings).not.toContain('2');
        expect(strings.join('\n')).not.toContain('\u00EF\u00BB\u00BF'); // the BOM was read as a BOM
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/index.js';
import { stringify } from 'csv-stringify/sync';
import { encodeHistoryCsv, needsFormulaGuard } from '../../src/history/history-csv.js';
import { formatSentAt } from '../../src/history/sent-at.js';
import { formatISO } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import {
  backupNow,
  collect,
  expectedRecords,
  exportRow,
  guarded,
  HEADER,
  historyFixture,
  parseBackup,
  rowsOf,
  type ExpectedRow,
} from './history-fixture.js';

/**
 * csv-stringify, a well-tried writer, is the oracle our own RFC 4180 writer must match byte for
 * byte: CRLF after every record, quotes when a cell holds `"`, `,`, CR or LF (set
 * `quote_record_delimiter` explicitly: csv-stringify drops it when `record_delimiter` is
 * given), and the formula guard (`escape_formulas`, which also guards the full-width forms).
 */
const CSV_STRINGIFY_OPTIONS = {
  record_delimiter: '\r\n',
  quote_record_delimiter: true,
  escape_formulas: true,
  eof: true,
} as const;

describe('R26: sent_at', () => {
  it('R26: sent_at is ISO 8601 local time with the zone’s offset, to the millisecond', () => {
    const at = (iso: string) => new Date(iso);
    expect(formatSentAt(at('2026-11-25T09:30:00.000Z'), 'Asia/Seoul')).toBe('2026-11-25T18:30:00.000+09:00');
    expect(formatSentAt(at('2026-11-25T15:30:00.123Z'), 'Asia/Seoul')).toBe('2026-11-26T00:30:00.123+09:00');
    expect(formatSentAt(at('2026-07-01T16:00:00.000Z'), 'America/New_York')).toBe('2026-07-01T12:00:00.000-04:00');
    expect(formatSentAt(at('2026-01-01T04:59:59.999Z'), 'America/New_York')).toBe('2025-12-31T23:59:59.999-05:00');
    expect(formatSentAt(at('2026-11-01T05:30:00.000Z'), 'America/New_York')).toBe('2026-11-01T01:30:00.000-04:00');
    expect(formatSentAt(at('2026-11-01T06:30:00.000Z'), 'America/New_York')).toBe('2026-11-01T01:30:00.000-05:00');
    expect(formatSentAt(at('2026-01-01T00:00:00.000Z'), 'Asia/Kathmandu')).toBe('2026-01-01T05:45:00.000+05:45');
    expect(formatSentAt(at('2026-01-01T00:00:00.000Z'), 'America/St_Johns')).toBe('2025-12-31T20:30:00.000-03:30');
    expect(formatSentAt(at('2026-01-01T00:00:00.000Z'), 'UTC')).toBe('2026-01-01T00:00:00.000+00:00');
  });

  it('R26: sent_at agrees with date-fns formatISO on a TZDate and parses back to the same instant', () => {
    const zones = ['Asia/Seoul', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (time, zone) => {
          const text = formatSentAt(new Date(time), zone);
          expect(new Date(text).getTime()).toBe(time);
          // formatISO has no milliseconds; compare the rest.
          expect(text.slice(0, 19) + text.slice(23)).toBe(formatISO(new TZDate(time, zone)).replace(/Z$/, '+00:00'));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('R26: the CSV encoder', () => {
  const encode = async (rows: Parameters<typeof exportRow>[0][], chunkBytes?: number) =>
    collect(encodeHistoryCsv(rowsOf(rows.map((row) => exportRow(row))), chunkBytes ? { chunkBytes } : {}));

  it('R26: BOM, header and CRLF after every record, fields quoted only when they must be', async () => {
    const bytes = await encode([{ content: 'plain' }, { content: 'a,b' }, { content: 'say "hi"' }, { content: 'two\nlines' }, { content: 'cr\ronly' }]);
    expect(Buffer.from(bytes).toString('utf8')).toBe(
      '\uFEFFaccount_id,account_name,customer_name,sent_at,sender,content\r\n' +
        'help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,plain\r\n' +
        'help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"a,b"\r\n' +
        'help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"say ""hi"""\r\n' +
        'help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"two\nlines"\r\n' +
        'help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"cr\ronly"\r\n',
    );
  });

  it('R26: the formula guard covers =, +, -, @, tab and CR (and their full-width forms), and nothing else', () => {
    for (const cell of ['=1', '+1', '-1', '@a', '\t1', '\r1', '＝1', '＋1', '－1', '＠a']) expect(needsFormulaGuard(cell)).toBe(true);
    for (const cell of ['', '1', 'a=1', ' =1', "'=1", '\n=1', '상담', '#1', '%1']) expect(needsFormulaGuard(cell)).toBe(false);
  });

  it('R26: chunks are at most chunkBytes and never split a character', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => ({ content: `${index} 😀 상담 ${'é'.repeat(index % 17)}` }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of encodeHistoryCsv(rowsOf(rows.map((row) => exportRow(row))), { chunkBytes: 7 })) chunks.push(chunk);
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (const chunk of chunks) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      expect(chunk.byteLength).toBeLessThanOrEqual(7);
      decoder.decode(chunk);
    }
    expect(parseBackup(Buffer.concat(chunks)).slice(1).map((record) => record[5])).toEqual(rows.map((row) => row.content));
  });

  it('R26: with the default chunk size, chunks are 64 KiB but the last', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => ({ content: `message ${index} ${'가나다'.repeat(10)}` }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of encodeHistoryCsv(rowsOf(rows.map((row) => exportRow(row))))) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.byteLength).toBeGreaterThan(64 * 1024 - 4);
    for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(64 * 1024);
  });

  it('R26: reads the rows as it writes: the first chunk comes before the source is exhausted', async () => {
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced += 1;
        yield exportRow({ content: `row ${produced}` });
      }
    }
    const iterator = encodeHistoryCsv(endless(), { chunkBytes: 1024 })[Symbol.asyncIterator]();
    for (let index = 0; index < 10; index++) expect((await iterator.next()).done).toBe(false);
    await iterator.return?.();
    expect(produced).toBeLessThan(2000);
  });

  it('R26: any text round-trips through our CSV and csv-parse, behind the formula guard (property)', async () => {
    const special = fc.constantFrom('"', ',', '\n', '\r', '\r\n', '=', '+', '-', '@', '\t', "'", ' ', '상담', '＝', '😀', '\u0000', '\uFEFF');
    const text = fc.array(fc.oneof(special, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));
    const plain = fc.string({ unit: 'grapheme-ascii', maxLength: 10 });
    const row = fc.record({
      accountName: fc.oneof(text, plain),
      customerName: fc.oneof(text, plain),
      senderName: fc.oneof(text, plain),
      content: fc.oneof(text, plain),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), fc.integer({ min: 4, max: 300 }), async (rows, chunkBytes) => {
        const bytes = await encode(rows, chunkBytes);
        const expected: ExpectedRow[] = rows.map((fields) => ({
          accountId: 'help',
          accountName: fields.accountName,
          customerName: fields.customerName,
          sentAt: '2026-11-25T09:30:00.000+00:00',
          sender: fields.senderName,
          content: fields.content,
        }));
        expect(parseBackup(bytes)).toEqual(expectedRecords(expected));
        // Every row, plain or encoded, comes out exactly as csv-stringify would have written it.
        const whole = stringify(
          [HEADER, ...expected.map((row) => [row.accountId, row.accountName, row.customerName, row.sentAt, row.sender, row.content])],
          CSV_STRINGIFY_OPTIONS,
        );
        expect(Buffer.from(bytes).toString('utf8')).toBe(`\uFEFF${whole}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('R26: round trip through the operations (property)', () => {
  it('R26: messages with random text come back cell by cell, names as they were sent', async () => {
    const fragment = fc.oneof(
      fc.constantFrom('"', ',', '\n', '\r\n', '\r', '=', '+', '-', '@', '\t', "'", '상담', '日本語', '＝', '👍🏽', ' '),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
    );
    const content = fc
      .array(fragment, { minLength: 1, maxLength: 8 })
      .map((parts) => parts.join(''))
      .filter((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value));
    const name = fc
      .array(fc.oneof(fc.constantFrom('"', ',', '=', '+', '-', '@', "'", '김', 'Lee', ' '), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 })), {
        minLength: 1,
        maxLength: 5,
      })
      .map((parts) => parts.join('').trim())
      .filter((value) => value.length > 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(value));
    const message = fc.record({ fromAgent: fc.boolean(), customerName: name, agentName: name, content });

    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 12 }), async (messages) => {
        const fixture = historyFixture(memoryStore());
        const { cx } = fixture;
        await fixture.seedProducts();
        await fixture.account('acme', 'help', 'Help', 'Asia/Seoul');
        const expected: ExpectedRow[] = [];
        for (const [index, entry] of messages.entries()) {
          const at = new Date(Date.UTC(2026, 10, 25, 1, index));
          fixture.directory.rename('acme', 'u1', entry.agentName);
          (await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: entry.customerName, channel: 'mail' }))._unsafeUnwrap();
          if (entry.fromAgent) {
            (await cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: entry.content, at }))._unsafeUnwrap();
          } else {
            (await cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: entry.content, channel: 'mail', at }))._unsafeUnwrap();
          }
          expected.push({
            accountId: 'help',
            accountName: 'Help',
            customerName: entry.customerName,
            sentAt: formatSentAt(at, 'Asia/Seoul'),
            sender: entry.fromAgent ? entry.agentName : entry.customerName,
            content: entry.content,
          });
        }
        const { bytes } = await backupNow(cx, 'acme');
        const records = parseBackup(bytes);
        expect(records[0]).toEqual(HEADER);
        expect(records).toEqual(expectedRecords(expected));
        for (const [index, record] of records.slice(1).entries()) expect(record[5]).toBe(guarded(messages[index]!.content));
      }),
      { numRuns: 40 },
    );
  });
});

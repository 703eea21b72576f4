import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/index.js';
import { stringify } from 'csv-stringify/sync';
import { needsFormulaGuard } from '../../src/history/history-csv.js';
import { encodeHistoryFile } from '../../src/history/history-file.js';
import { formatSentAt } from '../../src/history/sent-at.js';
import { formatISO } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import {
  backupNow,
  collect,
  expectedRecords,
  firstSix,
  guarded,
  HEADER,
  historyFixture,
  historyRow,
  parseBackup,
  parseJsonlBackup,
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
  const encode = async (rows: Parameters<typeof historyRow>[0][], chunkBytes?: number) =>
    collect(encodeHistoryFile(rowsOf(rows.map((row) => historyRow(row))), chunkBytes ? { chunkBytes } : {}));
  const tail = ',uid-help,c1,line,customer\r\n';

  it('R26: BOM, header and CRLF after every record, fields quoted only when they must be', async () => {
    const bytes = await encode([{ content: 'plain' }, { content: 'a,b' }, { content: 'say "hi"' }, { content: 'two\nlines' }, { content: 'cr\ronly' }]);
    expect(Buffer.from(bytes).toString('utf8')).toBe(
      '\uFEFFaccount_id,account_name,customer_name,sent_at,sender,content,account_uid,customer_id,channel,sender_kind\r\n' +
        `help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,plain${tail}` +
        `help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"a,b"${tail}` +
        `help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"say ""hi"""${tail}` +
        `help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"two\nlines"${tail}` +
        `help,Help,Lee,2026-11-25T09:30:00.000+00:00,Lee,"cr\ronly"${tail}`,
    );
  });

  it('R26: the formula guard covers =, +, -, @, tab and CR (and their full-width forms), and nothing else', () => {
    for (const cell of ['=1', '+1', '-1', '@a', '\t1', '\r1', '＝1', '＋1', '－1', '＠a']) expect(needsFormulaGuard(cell)).toBe(true);
    for (const cell of ['', '1', 'a=1', ' =1', "'=1", '\n=1', '상담', '#1', '%1']) expect(needsFormulaGuard(cell)).toBe(false);
  });

  it('R26: chunks are at most chunkBytes and never split a character', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => ({ content: `${index} 😀 상담 ${'é'.repeat(index % 17)}` }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of encodeHistoryFile(rowsOf(rows.map((row) => historyRow(row))), { chunkBytes: 7 })) chunks.push(chunk);
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
    for await (const chunk of encodeHistoryFile(rowsOf(rows.map((row) => historyRow(row))))) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.byteLength).toBeGreaterThan(64 * 1024 - 4);
    for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(64 * 1024);
  });

  it('R26: reads the rows as it writes: the first chunk comes before the source is exhausted', async () => {
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced += 1;
        yield historyRow({ content: `row ${produced}` });
      }
    }
    const iterator = encodeHistoryFile(endless(), { chunkBytes: 1024 })[Symbol.asyncIterator]();
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
        expect(firstSix(parseBackup(bytes))).toEqual(expectedRecords(expected));
        // Rows that skip csv-stringify come out exactly as csv-stringify would have written them.
        const whole = stringify(
          [HEADER, ...expected.map((row) => [row.accountId, row.accountName, row.customerName, row.sentAt, row.sender, row.content, 'uid-help', 'c1', 'line', 'customer'])],
          CSV_STRINGIFY_OPTIONS,
        );
        expect(Buffer.from(bytes).toString('utf8')).toBe(`\uFEFF${whole}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('R45: the JSONL encoder', () => {
  it('R45: one JSON object a line, keys as the CSV header, values exactly as stored: no BOM, no formula guard (property)', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const row = fc.record({
      accountName: text,
      customerName: text,
      senderName: text,
      content: fc.oneof(text, fc.constantFrom('=1+1', '-2', '@x', '\tx', '\r\n', '"', '\u2028', '\uFEFF')),
      senderKind: fc.constantFrom('customer' as const, 'agent' as const, 'account' as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 15 }), fc.integer({ min: 4, max: 200 }), async (rows, chunkBytes) => {
        const bytes = await collect(encodeHistoryFile(rowsOf(rows.map((fields) => historyRow(fields))), { format: 'jsonl', chunkBytes }));
        expect(parseJsonlBackup(bytes)).toEqual(
          rows.map((fields) => ['help', fields.accountName, fields.customerName, '2026-11-25T09:30:00.000+00:00', fields.senderName, fields.content, 'uid-help', 'c1', 'line', fields.senderKind]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('R45: an empty JSONL file is empty', async () => {
    expect((await collect(encodeHistoryFile(rowsOf([]), { format: 'jsonl' }))).byteLength).toBe(0);
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
        expect(firstSix(records)).toEqual(expectedRecords(expected));
        expect(records.slice(1).map((record) => record[9])).toEqual(messages.map((entry) => (entry.fromAgent ? 'agent' : 'customer')));
        for (const [index, record] of records.slice(1).entries()) expect(record[5]).toBe(guarded(messages[index]!.content));
      }),
      { numRuns: 40 },
    );
  });
});

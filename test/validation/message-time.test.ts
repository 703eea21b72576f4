import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadCsvEncoder } from '../../src/history/history-csv.js';
import type { HistoryRow } from '../../src/ports/records.js';
import { formatSentAt } from '../../src/history/sent-at.js';
import { MAX_MESSAGE_TIME_MS, MIN_MESSAGE_TIME_MS, messageTimeSchema } from '../../src/validation/message-time.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { parseBackup } from '../../testing/backup-fixture.js';

/** A stored message with what an export reads of it. */
function historyRow(fields: { sentAt: Date; content: string; timeZone?: string }): HistoryRow {
  return {
    messageId: 'm1', accountKey: 'k1', accountId: 'help', accountName: 'Help', customerId: 'c1', customerName: 'Lee', channel: 'line',
    senderKind: 'customer', senderId: 'c1', senderName: 'Lee', eventSeq: 0, timeZone: 'UTC', ...fields,
  };
}

const receive = z.strictObject({ content: z.string(), at: messageTimeSchema.optional() });

describe('R48: the time of a message', () => {
  it('R48: the bounds are 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, both included', () => {
    expect(new Date(MIN_MESSAGE_TIME_MS).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(MAX_MESSAGE_TIME_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    for (const time of [MIN_MESSAGE_TIME_MS, MAX_MESSAGE_TIME_MS, Date.UTC(2026, 10, 25)]) {
      expect(messageTimeSchema.parse(new Date(time)).getTime()).toBe(time);
    }
  });

  it('R48: times outside the range, invalid dates and non-dates are validation errors naming the field', () => {
    const refused = [new Date(8.64e15), new Date(-8.64e15), new Date(MAX_MESSAGE_TIME_MS + 1), new Date(-1), new Date(Number.NaN)];
    for (const at of refused) {
      const result = parseInput(receive, { content: 'hi', at });
      expect(result.isErr() && result.error.code).toBe('validation');
      const issues = result.isErr() && result.error.code === 'validation' ? result.error.issues : [];
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('at');
      expect(issues[0]!.message).toContain('1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z');
      expect(result.isErr() && result.error.message).toMatch(/^at: /);
    }
    for (const at of ['2026-11-25T09:30:00Z', 1_700_000_000_000, null, {}, { getTime: () => 0 }]) {
      const result = parseInput(receive, { content: 'hi', at });
      expect(result.isErr() && result.error.code).toBe('validation');
    }
    const top = parseInput(messageTimeSchema, new Date(8.64e15), 'at');
    expect(top.isErr() && top.error.message).toMatch(/^at: must lie between/);
  });

  it('R48: a Date proxy, revoked or not, or a Date with a getter that throws is refused, never thrown', () => {
    const { proxy, revoke } = Proxy.revocable(new Date(0), {});
    revoke();
    const tricky = new Date(0);
    Object.defineProperty(tricky, 'getTime', { get: () => { throw new Error('boom'); } });
    for (const at of [proxy, new Proxy(new Date(0), {})]) {
      expect(parseInput(receive, { content: 'hi', at }).isErr()).toBe(true);
    }
    // The own getter is never called: the time is read with Date.prototype.getTime.
    expect(parseInput(receive, { content: 'hi', at: tricky }).isOk()).toBe(true);
  });

  it('R48: every accepted time is written by the backup and reads back as the same instant (property)', () => {
    const zones = ['UTC', 'Asia/Seoul', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(fc.integer({ min: MIN_MESSAGE_TIME_MS, max: MAX_MESSAGE_TIME_MS }), fc.constantFrom(...zones), (time, zone) => {
        expect(messageTimeSchema.safeParse(new Date(time)).success).toBe(true);
        const text = formatSentAt(new Date(time), zone);
        expect(new Date(text).getTime()).toBe(time);
      }),
      { numRuns: 300 },
    );
  });
});

describe('R26 R48: formatting a sent_at never throws', () => {
  it('R48: any Date, in any zone, even one the runtime does not know, formats without throwing (property)', () => {
    const zones = ['UTC', 'Asia/Seoul', 'America/New_York', 'Pacific/Kiritimati', 'Nowhere/Zone', ''];
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constantFrom(8.64e15, -8.64e15, Number.NaN, MAX_MESSAGE_TIME_MS)),
        fc.constantFrom(...zones),
        (time, zone) => {
          const text = formatSentAt(new Date(time), zone);
          expect(typeof text).toBe('string');
          if (!Number.isNaN(time)) expect(new Date(text).getTime()).toBe(time);
        },
      ),
      { numRuns: 500 },
    );
    expect(formatSentAt(new Date(8.64e15), 'Asia/Seoul')).toBe('+275760-09-13T00:00:00.000+00:00');
    // The last instant R48 lets in would be local year 10000 in Seoul: written in UTC, RFC 3339 still.
    expect(formatSentAt(new Date(MAX_MESSAGE_TIME_MS), 'Asia/Seoul')).toBe('9999-12-31T23:59:59.999+00:00');
    expect(formatSentAt(new Date(MAX_MESSAGE_TIME_MS - 10 * 3_600_000), 'Asia/Seoul')).toBe('9999-12-31T22:59:59.999+09:00');
  });

  it('R26 R48: a sent_at with a year past 9999 gets no formula guard; the other cells still do', async () => {
    const rows = [
      historyRow({ sentAt: new Date(8.64e15), content: 'plain' }),
      historyRow({ sentAt: new Date(MAX_MESSAGE_TIME_MS), timeZone: 'Asia/Seoul', content: '=1+1' }),
      historyRow({ sentAt: new Date(-8.64e15), content: 'a,b' }),
    ];
    const encoder = await loadCsvEncoder();
    const records = parseBackup(new TextEncoder().encode(encoder.preamble + encoder.encode(rows)));
    expect(records.slice(1).map((record) => [record[3], record[5]])).toEqual([
      ['+275760-09-13T00:00:00.000+00:00', 'plain'],
      ['9999-12-31T23:59:59.999+00:00', "'=1+1"],
      ['-271821-04-20T00:00:00.000+00:00', 'a,b'],
    ]);
  });
});

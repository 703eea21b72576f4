import fc from 'fast-check';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zlibDeflate } from '../../src/internal/zlib-deflate.js';

/** Rows drawn from a few distinct ones, so that rows repeat and bytes run, as in a QR code. */
const repeatingRows = fc.integer({ min: 1, max: 300 }).chain((rowBytes) =>
  fc
    .tuple(
      fc.array(fc.uint8Array({ minLength: rowBytes, maxLength: rowBytes }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 200 }),
      fc.nat({ max: rowBytes }),
    )
    .map(([distinct, picks, tail]) => {
      const data = new Uint8Array(picks.length * rowBytes + tail);
      picks.forEach((pick, index) => data.set(distinct[pick % distinct.length]!, index * rowBytes));
      return { data, rowBytes };
    }),
);

describe('zlibDeflate', () => {
  it('inflates back to the bytes given, for rows that repeat and for any bytes (zlib reads it)', () => {
    fc.assert(
      fc.property(repeatingRows, ({ data, rowBytes }) => {
        expect(new Uint8Array(inflateSync(zlibDeflate(data, rowBytes)))).toEqual(data);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 6000 }), (data, rowBytes) => {
        expect(new Uint8Array(inflateSync(zlibDeflate(data, rowBytes)))).toEqual(data);
        expect(new Uint8Array(inflateSync(zlibDeflate(data)))).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });

  it('inflates back long runs and long repeats: copies split at 258 bytes without a piece under 3', () => {
    for (const length of [0, 1, 3, 4, 258, 259, 260, 261, 262, 516, 517, 70_000]) {
      const zeros = new Uint8Array(length);
      expect(new Uint8Array(inflateSync(zlibDeflate(zeros)))).toEqual(zeros);
      for (const rowBytes of [3, 65, 257]) {
        const rows = Uint8Array.from({ length }, (_, index) => (index % rowBytes) * 7);
        expect(new Uint8Array(inflateSync(zlibDeflate(rows, rowBytes)))).toEqual(rows);
      }
    }
  });

  it('costs a few bytes for each row that repeats the row above', () => {
    const rows = new Uint8Array(65 * 512);
    for (let y = 0; y < 512; y++) for (let x = 1; x < 65; x++) rows[y * 65 + x] = ((y >> 4) * 31 + x * 17) & 0xff;
    const compressed = zlibDeflate(rows, 65);
    expect(new Uint8Array(inflateSync(compressed))).toEqual(rows);
    // 32 distinct rows of 65 literals (≤ 9 bits each) and 32 copies of 15 rows.
    expect(compressed.length).toBeLessThan(32 * 74 + 32 * 30 + 16);
  });
});

import type { HistoryRow } from '../ports/records.js';
import { HISTORY_FILE_COLUMNS, historyCells } from './history-columns.js';
import type { HistoryRowEncoder } from './history-row-encoder.js';

/** The UTF-8 byte-order mark every backup file starts with, so spreadsheets read Korean and Japanese right. */
export const UTF8_BOM = '\uFEFF';

/** Default size of the chunks the file is cut into: 64 KiB. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** The smallest chunk size: room for any UTF-8 character. */
export const MIN_CHUNK_BYTES = 4;

/**
 * csv-stringify settings for R26:
 * - RFC 4180: CRLF line ends (also after the last row), fields quoted when they hold `"`, `,`,
 *   CR or LF, quotes doubled. `quote_record_delimiter` must be set explicitly: csv-stringify
 *   turns it off when `record_delimiter` is given, which would leave a lone `\n` unquoted.
 * - `escape_formulas`: a field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
 *   csv-stringify also guards the full-width forms `＝`, `＋`, `－`, `＠` (Apple Numbers folds
 *   them to ASCII), a superset of R26 we keep.
 */
export const CSV_STRINGIFY_OPTIONS = {
  record_delimiter: '\r\n',
  quote_record_delimiter: true,
  escape_formulas: true,
  eof: true,
} as const;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A cell csv-stringify would change (quote, or guard): it holds `"`, `,`, CR or LF, or starts
 * like a formula. Every other cell comes out of csv-stringify exactly as it went in.
 */
const NEEDS_ENCODING = /[",\r\n]|^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Where `sent_at` is in a record. */
const SENT_AT_INDEX = HISTORY_FILE_COLUMNS.indexOf('sent_at');

/**
 * The options the encoder hands csv-stringify: R26's, and no formula guard on `sent_at`. That
 * cell is written by the library, not by a person; its only leading sign is that of an ISO
 * 8601 expanded year (a local time past 9999), which a guard would corrupt.
 */
const ENCODE_OPTIONS = {
  ...CSV_STRINGIFY_OPTIONS,
  cast: {
    string: (value: string, context: { index: number }) =>
      context.index === SENT_AT_INDEX && (value.startsWith('+') || value.startsWith('-')) ? { value, escape_formulas: false } : value,
  },
};

/** Whether csv-stringify's formula guard prefixes this cell with `'` (R26 plus the full-width forms). */
export function needsFormulaGuard(cell: string): boolean {
  return FORMULA_START.test(cell);
}

/**
 * The CSV encoder of R26: BOM and header first, then one CRLF-terminated record per row.
 *
 * Quoting and formula guards are csv-stringify's (its synchronous API, on runs of rows), loaded
 * on first use so that importing `cx-accounts` in a browser never evaluates it (it touches
 * Node's global `Buffer` when loaded). Rows whose cells need neither quoting nor a guard — most
 * of them — skip it: csv-stringify would return them unchanged, and its per-cell work costs
 * ~4 µs a row, which would halve the speed of a backup.
 *
 * @example
 * ```ts
 * const csv = await loadCsvEncoder();
 * const text = csv.preamble + csv.encode(rows);
 * ```
 */
export async function loadCsvEncoder(): Promise<HistoryRowEncoder> {
  const { stringify } = await import('csv-stringify/sync');
  const encodeRecords = (records: string[][]): string => stringify(records, ENCODE_OPTIONS);
  return {
    preamble: UTF8_BOM + encodeRecords([[...HISTORY_FILE_COLUMNS]]),
    encode(rows: readonly HistoryRow[]): string {
      // Lines in file order; consecutive rows that need csv-stringify are handed to it together.
      const lines: string[] = [];
      let toEncode: string[][] = [];
      for (const row of rows) {
        const record = historyCells(row);
        // sent_at is the library's own text, never quoted nor guarded: only the other cells decide.
         if (record.some((cell, index) => index !== SENT_AT_INDEX && NEEDS_ENCODING.test(cell))) {
          toEncode.push(record);
          continue;
        }
        if (toEncode.length > 0) {
          lines.push(encodeRecords(toEncode));
          toEncode = [];
        }
        lines.push(`${record.join(',')}\r\n`);
      }
      if (toEncode.length > 0) lines.push(encodeRecords(toEncode));
      return lines.join('');
    },
  };
}

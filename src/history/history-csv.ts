import type { HistoryRow } from '../ports/records.js';
import { csvCell } from './csv-record.js';
import { HISTORY_FILE_COLUMNS, historyCells } from './history-columns.js';
import type { HistoryRowEncoder } from './history-row-encoder.js';

// Where the formula guard was first exported; tests and fixtures import it from here.
export { needsFormulaGuard } from './csv-record.js';

/** The UTF-8 byte-order mark every backup file starts with, so spreadsheets read Korean and Japanese right. */
export const UTF8_BOM = '\uFEFF';

/** Default size of the chunks the file is cut into: 64 KiB. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** The smallest chunk size: room for any UTF-8 character. */
export const MIN_CHUNK_BYTES = 4;

/**
 * A cell the CSV writer would change (quote, or guard): it holds `"`, `,`, CR or LF, or starts
 * like a formula. Every other cell is written exactly as it is.
 */
const NEEDS_ENCODING = /[",\r\n]|^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Where `sent_at` is in a record. */
const SENT_AT_INDEX = HISTORY_FILE_COLUMNS.indexOf('sent_at');

/**
 * One record: every cell through {@link csvCell} (RFC 4180 quoting, R26's formula guard) but
 * `sent_at`. That cell is written by the library, not by a person; its only leading sign is the
 * one of an ISO 8601 expanded year (a local time past 9999), which a guard would corrupt.
 */
function encodeRecord(record: readonly string[]): string {
  return `${record.map((cell, index) => (index === SENT_AT_INDEX ? cell : csvCell(cell))).join(',')}\r\n`;
}

/** A cell as the file holds it: {@link csvCell}'s, tested with one expression first (most cells stay as they are). */
function encodeCell(cell: string): string {
  return NEEDS_ENCODING.test(cell) ? csvCell(cell) : cell;
}

/**
 * The CSV encoder of R26: BOM and header first, then one CRLF-terminated record per row.
 * Quoting and formula guards are {@link csvCell}'s (RFC 4180, web APIs only, so a backup runs
 * in a browser too). Cells that need neither quoting nor a guard — most of them — are
 * written as they are.
 *
 * @example
 * ```ts
 * const csv = await loadCsvEncoder();
 * const text = csv.preamble + csv.encode([]);
 * ```
 */
export async function loadCsvEncoder(): Promise<HistoryRowEncoder> {
  return {
    preamble: UTF8_BOM + encodeRecord(HISTORY_FILE_COLUMNS),
    encode(rows: readonly HistoryRow[]): string {
      let text = '';
      for (const row of rows) {
        const record = historyCells(row);
        // One line built cell by cell: no array of quoted cells, no join (a backup writes millions).
        let line = encodeCell(record[0]!);
        for (let index = 1; index < record.length; index++) {
          line += index === SENT_AT_INDEX ? `,${record[index]!}` : `,${encodeCell(record[index]!)}`;
        }
        text += `${line}\r\n`;
      }
      return text;
    },
  };
}

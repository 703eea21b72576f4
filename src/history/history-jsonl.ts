import type { HistoryRow } from '../ports/records.js';
import { HISTORY_FILE_COLUMNS, historyCells } from './history-columns.js';
import type { HistoryRowEncoder } from './history-row-encoder.js';

/**
 * The JSONL encoder of R45: one JSON object per line (`\n`-terminated), keys as the CSV header
 * in the same order, `sent_at` as in the CSV; no byte-order mark and no formula guard (the
 * values are exactly the stored ones).
 *
 * @example
 * ```ts
 * declare const row: import('cx-accounts/store').HistoryRow;
 * jsonlEncoder().encode([row]);
 * // '{"account_id":"help","account_name":"Help",…,"sent_at":"2026-11-25T18:30:00.000+09:00",…,"sender_kind":"customer"}\n'
 * ```
 */
export function jsonlEncoder(): HistoryRowEncoder {
  return {
    preamble: '',
    encode(rows: readonly HistoryRow[]): string {
      let text = '';
      for (const row of rows) {
        const cells = historyCells(row);
        const record: Record<string, string> = {};
        HISTORY_FILE_COLUMNS.forEach((column, index) => {
          record[column] = cells[index]!;
        });
        text += `${JSON.stringify(record)}\n`;
      }
      return text;
    },
  };
}

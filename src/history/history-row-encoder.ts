import type { HistoryRow } from '../ports/records.js';

/**
 * Turns messages into the text of a backup file, one format (R26, R45). The runner writes
 * `preamble`, then `encode` of each page of rows, through a {@link ChunkWriter}.
 */
export type HistoryRowEncoder = {
  /** What the file starts with: the BOM and header for CSV, nothing for JSONL. */
  readonly preamble: string;
  /** The records of these rows, each ending with the format's line end. */
  encode(rows: readonly HistoryRow[]): string;
};

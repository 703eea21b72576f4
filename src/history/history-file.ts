import type { BackupFormat, HistoryRow } from '../ports/records.js';
import { ChunkWriter } from './chunk-writer.js';
import { DEFAULT_CHUNK_BYTES, loadCsvEncoder, MIN_CHUNK_BYTES } from './history-csv.js';
import { jsonlEncoder } from './history-jsonl.js';
import type { HistoryRowEncoder } from './history-row-encoder.js';

/**
 * The encoder of a backup format (R26, R45).
 *
 * @example
 * ```ts
 * import type { HistoryRow } from 'cx-accounts/store';
 *
 * declare const rows: HistoryRow[];
 * const encoder = await loadRowEncoder('jsonl');
 * const text = encoder.preamble + encoder.encode(rows);
 * ```
 */
export function loadRowEncoder(format: BackupFormat): Promise<HistoryRowEncoder> {
  switch (format) {
    case 'csv':
      return loadCsvEncoder();
    case 'jsonl':
      return Promise.resolve(jsonlEncoder());
  }
}

/** Options of {@link encodeHistoryFile}. */
export type HistoryFileOptions = {
  /** `csv` (default) or `jsonl`. */
  format?: BackupFormat;
  /** Size of the chunks yielded (the last may be shorter; any may be up to 3 bytes short so a character is never split). */
  chunkBytes?: number;
  /** Rows encoded at once; default 512. */
  batchRows?: number;
};

/**
 * Encodes messages as a backup file, yielding UTF-8 chunks of about `chunkBytes` while it reads
 * the rows: memory stays at one chunk plus one batch of rows, however many rows come.
 *
 * @example
 * ```ts
 * import type { HistoryRow } from 'cx-accounts/store';
 *
 * declare const rows: AsyncIterable<HistoryRow>;
 * for await (const chunk of encodeHistoryFile(rows, { format: 'jsonl' })) await file.write(chunk);
 * ```
 */
export async function* encodeHistoryFile(
  rows: AsyncIterable<HistoryRow>,
  options: HistoryFileOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const chunkBytes = Math.max(MIN_CHUNK_BYTES, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  const batchRows = Math.max(1, Math.floor(options.batchRows ?? 512));
  const encoder = await loadRowEncoder(options.format ?? 'csv');
  const chunks = new ChunkWriter(chunkBytes);
  yield* chunks.write(encoder.preamble);
  let batch: HistoryRow[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= batchRows) {
      yield* chunks.write(encoder.encode(batch));
      batch = [];
    }
  }
  if (batch.length > 0) yield* chunks.write(encoder.encode(batch));
  const last = chunks.finish();
  if (last) yield last;
}

import type { HistoryExportRow } from '../ports/records.js';
import { csvRecords } from './csv-record.js';
import { formatSentAt } from './sent-at.js';

/** The header of a history backup file (R26), in column order. */
export const HISTORY_CSV_COLUMNS = ['account_id', 'account_name', 'customer_name', 'sent_at', 'sender', 'content'] as const;

/** The UTF-8 byte-order mark every backup file starts with, so spreadsheets read Korean and Japanese right. */
export const UTF8_BOM = '\uFEFF';

/** Default size of the chunks the file is cut into: 64 KiB. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** The smallest chunk size: room for any UTF-8 character. */
export const MIN_CHUNK_BYTES = 4;

/** Rows encoded at once, at most; a batch also ends after about `chunkBytes` characters. */
const MAX_ROWS_PER_BATCH = 512;

/**
 * A cell {@link csvCell} would change (quote, or guard): it holds `"`, `,`, CR or LF, or starts
 * like a formula. Every other cell is written exactly as it is.
 */
const NEEDS_ENCODING = /[",\r\n]|^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

// Where the formula guard was first exported; tests and fixtures import it from here.
export { needsFormulaGuard } from './csv-record.js';

/** Options of {@link encodeHistoryCsv}. */
export type HistoryCsvOptions = {
  /** Size of the chunks yielded (the last may be shorter; any may be up to 3 bytes short so a character is never split). */
  chunkBytes?: number;
};

/**
 * Encodes history rows as the backup CSV of R26, yielding UTF-8 chunks of about `chunkBytes`
 * while it reads: BOM, header, then one CRLF-terminated record per row. Memory stays at one
 * chunk plus one batch of rows, however many rows come.
 *
 * Quoting and formula guards are {@link csvRecords}' (RFC 4180, web APIs only, so a backup
 * runs in a browser too). Rows whose cells need neither quoting nor a guard — most of them —
 * are joined directly.
 *
 * @example
 * ```ts
 * for await (const chunk of encodeHistoryCsv(store.exportHistory('acme'))) await file.write(chunk);
 * ```
 */
export async function* encodeHistoryCsv(
  rows: AsyncIterable<HistoryExportRow>,
  options: HistoryCsvOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const chunkBytes = Math.max(MIN_CHUNK_BYTES, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  const encode = csvRecords;
  const chunks = new ChunkWriter(chunkBytes);

  yield* chunks.write(UTF8_BOM + encode([[...HISTORY_CSV_COLUMNS]]));
  // Lines in file order; consecutive rows that need quoting or a guard are encoded together.
  let lines: string[] = [];
  let toEncode: string[][] = [];
  let batchRows = 0;
  let batchCharacters = 0;
  const flushEncoded = () => {
    if (toEncode.length === 0) return;
    lines.push(encode(toEncode));
    toEncode = [];
  };
  for await (const row of rows) {
    const record = [row.accountId, row.accountName, row.customerName, formatSentAt(row.sentAt, row.timeZone), row.senderName, row.content];
    if (record.some((cell) => NEEDS_ENCODING.test(cell))) {
      toEncode.push(record);
    } else {
      // Encoding would give back these cells unchanged; checking each cell costs more than one
      // test of the whole row, so plain rows are joined directly.
      flushEncoded();
      lines.push(`${record.join(',')}\r\n`);
    }
    batchRows += 1;
    batchCharacters += row.accountName.length + row.customerName.length + row.senderName.length + row.content.length + 48;
    if (batchRows >= MAX_ROWS_PER_BATCH || batchCharacters >= chunkBytes) {
      flushEncoded();
      yield* chunks.write(lines.join(''));
      lines = [];
      batchRows = 0;
      batchCharacters = 0;
    }
  }
  flushEncoded();
  if (lines.length > 0) yield* chunks.write(lines.join(''));
  const last = chunks.finish();
  if (last) yield last;
}

const encoder = new TextEncoder();

/** Cuts text into UTF-8 chunks of `size` bytes, never splitting a character. */
class ChunkWriter {
  private buffer: Uint8Array;
  private used = 0;

  constructor(private readonly size: number) {
    this.buffer = new Uint8Array(size);
  }

  *write(text: string): Generator<Uint8Array, void, undefined> {
    let rest = text;
    while (rest.length > 0) {
      const { read, written } = encoder.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      // Full, or the next character does not fit in what is left.
      yield this.take();
    }
  }

  /** The last, partly filled chunk, or `null` when there is none. */
  finish(): Uint8Array | null {
    return this.used > 0 ? this.take() : null;
  }

  private take(): Uint8Array {
    const chunk = this.used === this.size ? this.buffer : this.buffer.slice(0, this.used);
    this.buffer = new Uint8Array(this.size);
    this.used = 0;
    return chunk;
  }
}

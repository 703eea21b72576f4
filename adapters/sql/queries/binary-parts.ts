/**
 * Bytes kept in rows of at most {@link PART_SIZE} bytes. MySQL refuses a packet larger than
 * `max_allowed_packet` (16 MiB by default on MariaDB, and mysql2 sends bytes as hex text,
 * doubling them), so a 10 MiB image or a large backup chunk is stored as several rows.
 *
 * @module
 */

/** Largest part stored in one row: 1 MiB. */
export const PART_SIZE = 1024 * 1024;

/** Splits bytes into parts of at most `size` bytes; empty bytes give one empty part. */
export function splitParts(data: Uint8Array, size = PART_SIZE): Uint8Array[] {
  if (data.byteLength <= size) return [data];
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += size) parts.push(data.subarray(offset, offset + size));
  return parts;
}

/** Joins parts back into one fresh `Uint8Array` (never a driver's `Buffer`). */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

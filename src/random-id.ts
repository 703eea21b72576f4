/** Two lowercase hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Random bytes drawn a batch at a time: one `getRandomValues` call costs more than formatting an id. */
const RANDOM_BATCH = 4096;
const randomBytes = new Uint8Array(RANDOM_BATCH);
let randomUsed = RANDOM_BATCH;

/**
 * A random identifier (UUID v4) for internal keys, holidays, rooms and backup jobs.
 *
 * Made from `crypto.getRandomValues` alone: a page served over plain `http:` is not a secure
 * context and has no `crypto.randomUUID` (R57), while `getRandomValues` exists everywhere.
 */
export function randomId(): string {
  if (randomUsed + 16 > RANDOM_BATCH) {
    globalThis.crypto.getRandomValues(randomBytes);
    randomUsed = 0;
  }
  const b = randomBytes;
  const i = randomUsed;
  randomUsed += 16;
  // Version 4 in the high nibble of byte 6, the RFC 9562 variant (10xx) in byte 8.
  const version = (b[i + 6]! & 0x0f) | 0x40;
  const variant = (b[i + 8]! & 0x3f) | 0x80;
  return (
    HEX[b[i]!]! + HEX[b[i + 1]!]! + HEX[b[i + 2]!]! + HEX[b[i + 3]!]! + '-' +
    HEX[b[i + 4]!]! + HEX[b[i + 5]!]! + '-' +
    HEX[version]! + HEX[b[i + 7]!]! + '-' +
    HEX[variant]! + HEX[b[i + 9]!]! + '-' +
    HEX[b[i + 10]!]! + HEX[b[i + 11]!]! + HEX[b[i + 12]!]! + HEX[b[i + 13]!]! + HEX[b[i + 14]!]! + HEX[b[i + 15]!]!
  );
}

/** Last id prefix handed out by this process, to keep ids increasing within a millisecond. */
let lastTime = 0;
let counter = 0;

/** Random bytes drawn a batch at a time: one `getRandomValues` call costs as much as the rest of an id many times over. */
const RANDOM_BATCH = 4096;
const randomBytes = new Uint8Array(RANDOM_BATCH);
let randomUsed = RANDOM_BATCH;

/** Two lowercase hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A new message id: 26 lowercase hex digits, increasing in the order this process makes them
 * (wall-clock milliseconds, then a counter), then random. Messages of one instant are listed
 * by `messageId` (R39), so a reply made right after a message sorts after it.
 */
export function newMessageId(): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    counter = 0;
  } else {
    counter += 1;
  }
  if (randomUsed + 4 > RANDOM_BATCH) {
    globalThis.crypto.getRandomValues(randomBytes);
    randomUsed = 0;
  }
  const tail = HEX[randomBytes[randomUsed]!]! + HEX[randomBytes[randomUsed + 1]!]! + HEX[randomBytes[randomUsed + 2]!]! + HEX[randomBytes[randomUsed + 3]!]!;
  randomUsed += 4;
  return lastTime.toString(16).padStart(12, '0') + counter.toString(16).padStart(6, '0') + tail;
}

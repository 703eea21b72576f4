/** Last id prefix handed out by this process, to keep ids increasing within a millisecond. */
let lastTime = 0;
let counter = 0;

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
  const random = new Uint8Array(4);
  globalThis.crypto.getRandomValues(random);
  let tail = '';
  for (const byte of random) tail += byte.toString(16).padStart(2, '0');
  return lastTime.toString(16).padStart(12, '0') + counter.toString(16).padStart(6, '0') + tail;
}

/** A random identifier (UUID v4) for internal keys, holidays, rooms and backup jobs. */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}

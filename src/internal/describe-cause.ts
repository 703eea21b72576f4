/**
 * A one-line description of a thrown value, safe on anything (proxies, throwing getters):
 * the message of an `Error`, else the value as a string.
 *
 * @example
 * ```ts
 * describeCause(new Error('disk full')); // "disk full"
 * describeCause(42); // "42"
 * ```
 */
export function describeCause(cause: unknown): string {
  try {
    return cause instanceof Error ? cause.message : String(cause);
  } catch {
    return 'unreadable value';
  }
}

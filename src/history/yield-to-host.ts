/**
 * Waits for the next turn of the event loop, so that the host's timers and I/O run between
 * two pages of a backup (R49). `setImmediate` where there is one (Node, Bun, Deno), else
 * `setTimeout(0)` (browsers, edge runtimes); both let due timers fire.
 *
 * @example
 * ```ts
 * declare const pages: string[][];
 * declare function write(page: string[]): void;
 * for (const page of pages) {
 *   await yieldToHost();
 *   write(page);
 * }
 * ```
 */
export function yieldToHost(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => {
    if (typeof immediate === 'function') immediate(() => resolve());
    else globalThis.setTimeout(resolve, 0);
  });
}

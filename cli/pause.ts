/**
 * Waits `ms`, or less when `stop` aborts. Answers at once when it already has.
 *
 * @example
 * ```ts
 * await pause(1000, AbortSignal.timeout(10));
 * ```
 */
export function pause(ms: number, stop: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

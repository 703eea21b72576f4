/**
 * Runs async tasks one at a time, in the order they were queued. The memory store uses it to
 * serialise transactions, the strongest isolation there is.
 */
export function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task, task);
    // Keep the chain alive whatever the task does; the caller sees its own outcome.
    tail = result.catch(() => undefined);
    return result;
  };
}

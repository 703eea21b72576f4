/**
 * A counting semaphore for tests that start child processes: at most `limit` tasks run at
 * once, the others wait their turn in order. Used where children spend most of their life
 * starting up or waiting (the docs snippets, the runtime matrix), so that a few at once
 * shorten the file without piling every child onto a 2-core machine at the same moment.
 */
export function limitConcurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

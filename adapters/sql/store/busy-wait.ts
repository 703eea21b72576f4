/**
 * Waiting for another process's SQLite write lock without blocking the event loop (R49).
 *
 * SQLite's own `busy_timeout` waits inside the driver call, and every driver here calls SQLite
 * synchronously: a write waiting for the lock froze the host (its timers, its I/O, the reads of
 * every other domain) for up to `lockTimeoutMs`. So the store sets `busy_timeout = 0` — a
 * locked database answers `SQLITE_BUSY` at once — and tries again after a pause on a timer,
 * until `lockTimeoutMs` has passed since the call began waiting.
 *
 * @module
 */

/** Longest pause between two tries, in ms: a lock let go is seen within about this long. */
const MAX_PAUSE_MILLIS = 25;

/**
 * Whether a driver error says the database is locked by another connection (`SQLITE_BUSY`),
 * also when it comes wrapped as the `cause` of another error (a `StoreError`).
 */
export function isSqliteBusy(error: unknown): boolean {
  for (let depth = 0; depth < 3 && typeof error === 'object' && error !== null; depth++) {
    const code: unknown = Reflect.get(error, 'code');
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_TIMEOUT') return true;
    error = Reflect.get(error, 'cause');
  }
  return false;
}

/**
 * The pause before try number `tries + 1`: 1, 2, 4, … ms up to {@link MAX_PAUSE_MILLIS}, with
 * jitter (so processes that wait together do not try together), never past the `remaining` ms.
 */
export function busyPauseMillis(tries: number, remaining: number): number {
  const ceiling = Math.min(MAX_PAUSE_MILLIS, 2 ** Math.min(tries, 10));
  const pause = ceiling / 2 + (Math.random() * ceiling) / 2;
  return Math.max(0, Math.min(pause, remaining));
}

/** A pause on a timer: the event loop runs meanwhile. */
export function pause(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/**
 * Runs `task`; while it fails with `SQLITE_BUSY`, pauses on a timer and runs it again, until
 * `lockTimeoutMs` have passed since `startedAt` (then one last try, so a lock let go at the last
 * moment is still taken), and rethrows the last `SQLITE_BUSY`. `task` must be safe to run again:
 * a statement refused with `SQLITE_BUSY` changed nothing.
 */
export async function retryWhileBusy<T>(task: () => Promise<T> | T, lockTimeoutMs: number, startedAt = performance.now()): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await task();
    } catch (error) {
      if (!isSqliteBusy(error)) throw error;
      const remaining = lockTimeoutMs - (performance.now() - startedAt);
      if (remaining <= 0) throw error;
      await pause(busyPauseMillis(tries, remaining));
    }
  }
}

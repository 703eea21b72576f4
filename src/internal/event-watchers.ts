/** What a watcher of events is told (the port's `EventWatcher`; written out here so that `internal/` imports no port). */
type EventWatcher = { wake(): void; closed(): void };

/**
 * The watchers of a store's events by domain (R52): what `Store.watchEvents` registers, and
 * what a store wakes after a commit (or a poll, or a notification) and tells when it closes.
 */
export type EventWatchers = {
  /** Registers a watcher; answers the function that removes it (once). */
  watch(domainId: string, watcher: EventWatcher): () => void;
  /** Wakes the watchers of a domain. */
  wake(domainId: string): void;
  /** Wakes every watcher (after a reconnect: notifications may have been lost). */
  wakeAll(): void;
  /** Tells every watcher the store closed, and forgets them. */
  closeAll(): void;
  /** The domains that have watchers now. */
  domains(): string[];
  /** How many watchers there are. */
  readonly size: number;
};

export function eventWatchers(onChange?: (size: number) => void): EventWatchers {
  const byDomain = new Map<string, Set<EventWatcher>>();
  let size = 0;
  let closed = false;
  const each = (watchers: Iterable<EventWatcher> | undefined, call: (watcher: EventWatcher) => void) => {
    // A watcher's own failure must not keep the others from waking.
    for (const watcher of [...(watchers ?? [])]) {
      try {
        call(watcher);
      } catch {
        // ignored: see above
      }
    }
  };
  return {
    watch(domainId, watcher) {
      if (closed) {
        queueMicrotask(() => watcher.closed());
        return () => undefined;
      }
      const entry = { wake: () => watcher.wake(), closed: () => watcher.closed() };
      let watchers = byDomain.get(domainId);
      if (!watchers) byDomain.set(domainId, (watchers = new Set()));
      watchers.add(entry);
      size += 1;
      onChange?.(size);
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        const current = byDomain.get(domainId);
        if (!current?.delete(entry)) return;
        if (current.size === 0) byDomain.delete(domainId);
        size -= 1;
        onChange?.(size);
      };
    },
    wake: (domainId) => each(byDomain.get(domainId), (watcher) => watcher.wake()),
    wakeAll: () => each([...byDomain.values()].flatMap((set) => [...set]), (watcher) => watcher.wake()),
    closeAll() {
      closed = true;
      const all = [...byDomain.values()].flatMap((set) => [...set]);
      byDomain.clear();
      size = 0;
      each(all, (watcher) => watcher.closed());
    },
    domains: () => [...byDomain.keys()],
    get size() {
      return size;
    },
  };
}

import type { Kysely } from 'kysely';
import type { EventWatcher } from '../../../src/ports/webhook-port.js';
import { eventWatchers } from '../../../src/internal/event-watchers.js';
import type { CxDatabase } from '../cx-database.js';
import { toNumber } from '../queries/row-values.js';
import type { Exclusive } from '../queries/exclusive.js';

/** The PostgreSQL channel the `cx_events` trigger notifies, with the domain id as payload (migration 0007). */
export const EVENTS_CHANNEL = 'cx_events';

/** How often the shared poller reads the watched domains' last `seq` (other processes' commits, R52: 1 s p99). */
export const EVENT_POLL_MS = 250;

/**
 * A dedicated LISTEN connection: `start` connects and listens, calling `notified(domainId)` for
 * each notification and `lost()` when the connection ends or fails; answers how to stop it.
 */
export type EventListener = {
  start(notified: (domainId: string) => void, lost: () => void): Promise<() => Promise<void>>;
};

/** The event wake-ups of one SQL store (R52): `Store.watchEvents`, and what the store calls on commit and close. */
export type SqlEventWatch = {
  watch(domainId: string, watcher: EventWatcher): () => void;
  /** A write transaction of the domain committed in this process. */
  committed(domainId: string): void;
  close(): void;
};

/**
 * One listener or poller per store, whatever the number of watchers, running only while
 * there are watchers.
 *
 * - Commits of this process wake the domain's watchers at once (`committed`).
 * - With a `listener` (a PostgreSQL server): LISTEN on one dedicated connection; the trigger on
 *   `cx_events` sends NOTIFY inside the writing transaction, so it arrives after the commit.
 *   After a lost connection it reconnects (after a pause) and wakes every watcher: the
 *   subscribers read again from their last `seq`, so a notification lost meanwhile loses nothing.
 * - Without one (SQLite, MySQL/MariaDB, PGlite): a poll every {@link EVENT_POLL_MS} of the
 *   watched domains' `last_seq` in `cx_domains` (one indexed read) wakes those that moved.
 *   PGlite runs in this process, so its commits come through `committed` already; the poll
 *   covers a second store opened on the same instance.
 */
export function sqlEventWatch(db: Kysely<CxDatabase>, exclusive: Exclusive, listener: EventListener | null): SqlEventWatch {
  let closed = false;
  let running: { stop(): void } | null = null;
  const watchers = eventWatchers((size) => {
    if (size > 0 && !running && !closed) running = listener ? listen(listener) : poll();
    if (size === 0 && running) {
      running.stop();
      running = null;
    }
  });

  function poll() {
    let stopped = false;
    const heads = new Map<string, number>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      timer = null;
      const domains = watchers.domains();
      if (domains.length > 0) {
        try {
          const rows = await exclusive(() =>
            db.selectFrom('cx_domains').select(['domain_id', 'last_seq']).where('domain_id', 'in', domains.slice(0, 1000)).execute(),
          );
          const seen = new Map(rows.map((row) => [row.domain_id, toNumber(row.last_seq)]));
          for (const domainId of domains) {
            // A domain seen for the first time wakes too: its watcher may have read before the poll's baseline.
            const seq = seen.get(domainId) ?? 0;
            if (heads.get(domainId) !== seq) watchers.wake(domainId);
            heads.set(domainId, seq);
          }
          for (const domainId of heads.keys()) if (!watchers.domains().includes(domainId)) heads.delete(domainId);
        } catch {
          // The next tick tries again; a closed store stops the poller through close().
        }
      }
      if (!stopped) schedule();
    };
    const schedule = () => {
      timer = setTimeout(() => void tick(), EVENT_POLL_MS);
      // A poller alone must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
    };
    void tick();
    return {
      stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
    };
  }

  function listen(source: EventListener) {
    let stopped = false;
    let stopConnection: (() => Promise<void>) | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    const connect = async () => {
      retry = null;
      if (stopped) return;
      let lostOnce = false;
      const lost = () => {
        if (lostOnce) return;
        lostOnce = true;
        const stop = stopConnection;
        stopConnection = null;
        void stop?.().catch(() => undefined);
        scheduleReconnect();
      };
      try {
        const stop = await source.start((domainId) => watchers.wake(domainId), lost);
        if (stopped || lostOnce) {
          await stop().catch(() => undefined);
          return;
        }
        stopConnection = stop;
        attempt = 0;
        // Whatever committed while this connection was not listening is read now.
        watchers.wakeAll();
      } catch {
        scheduleReconnect();
      }
    };
    const scheduleReconnect = () => {
      if (stopped || retry) return;
      attempt += 1;
      retry = setTimeout(() => void connect(), Math.min(5000, 100 * 2 ** Math.min(attempt, 6)));
      (retry as { unref?: () => void }).unref?.();
    };
    void connect();
    return {
      stop() {
        stopped = true;
        if (retry) clearTimeout(retry);
        const stop = stopConnection;
        stopConnection = null;
        void stop?.().catch(() => undefined);
      },
    };
  }

  return {
    watch: (domainId, watcher) => watchers.watch(domainId, watcher),
    committed: (domainId) => watchers.wake(domainId),
    close() {
      closed = true;
      running?.stop();
      running = null;
      watchers.closeAll();
    },
  };
}

/**
 * A LISTEN connection to a PostgreSQL server with `pg`: one `Client` of its own (not one of the
 * pool's), so a long wait never holds a pool connection.
 */
export function postgresEventListener(connectionString: string): EventListener {
  return {
    async start(notified, lost) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString });
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', (message) => {
        if (message.channel === EVENTS_CHANNEL && message.payload) notified(message.payload);
      });
      try {
        await client.connect();
        await client.query(`listen ${EVENTS_CHANNEL}`);
      } catch (error) {
        client.removeListener('end', lost);
        await client.end().catch(() => undefined);
        throw error;
      }
      return async () => {
        client.removeListener('end', lost);
        client.removeListener('error', lost);
        client.on('error', () => undefined);
        await client.end();
      };
    },
  };
}

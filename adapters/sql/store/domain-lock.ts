import { sql } from 'kysely';
import { queryShape } from '../queries/prepared-queries.js';

/**
 * Takes, and holds until the transaction ends, the lock of a domain's writes (PostgreSQL,
 * MySQL/MariaDB): raises the `lock_version` of the domain's `cx_domains` row.
 *
 * Against other writers an `UPDATE` locks the row as `SELECT … FOR UPDATE` does (on
 * PostgreSQL it takes `FOR NO KEY UPDATE`, which every other write transaction of the domain,
 * updating the same row, still waits for), so one statement serves PostgreSQL, MySQL and
 * MariaDB alike — and because it
 * *writes* the row, it also serialises the domain across the nodes of a MariaDB Galera
 * cluster, where row locks are node-local: two write transactions of one domain on different
 * nodes both carry this row in their write sets, so certification refuses the later one at
 * commit (MySQL error 1213), and the transaction runner runs it again on fresh data.
 * Why on every row-locking database and not only on MySQL: whether a MariaDB server is a
 * Galera node cannot be told from the driver (and `wsrep_on` can change at run time), one
 * statement keeps one code path (capabilities decide nothing here), and the price is small:
 * one row version per write transaction (on PostgreSQL a HOT update: the column is in no
 * index; `test/bench/message-hot-path.bench.ts` measures it next to `SELECT … FOR UPDATE`).
 *
 * Argument: the domain. Answers one affected row, or none when the row is missing.
 */
export const LOCK_DOMAIN_BY_WRITE = queryShape('lockDomainByWrite', (q, [domain]) =>
  q
    .updateTable('cx_domains')
    .set({ lock_version: sql<number>`lock_version + 1` })
    .where('domain_id', '=', domain),
);

/**
 * PostgreSQL: {@link LOCK_DOMAIN_BY_WRITE}, then sets `statement_timeout` (local to the
 * transaction) back to the session's own value once the row is locked. The write transaction
 * begins with `statement_timeout = lockTimeoutMs` so that a writer queued behind other
 * waiters, which waits twice (for the row's tuple lock, then for the holder's transaction,
 * each bounded by `lock_timeout` alone), still waits `lockTimeoutMs` in all (R49); the
 * statements after the lock run unbounded by it, so a long erasure is not taken for a lock
 * wait. `RETURNING` runs once the row is locked and updated.
 *
 * Arguments: the domain, the session's `statement_timeout`. Answers one row, or none when the
 * row is missing.
 */
export const LOCK_DOMAIN_BY_WRITE_THEN_UNBOUND = queryShape('lockDomainByWriteThenUnbound', (q, [domain, statementTimeout]) =>
  q
    .updateTable('cx_domains')
    .set({ lock_version: sql<number>`lock_version + 1` })
    .where('domain_id', '=', domain)
    .returning(sql<string>`set_config('statement_timeout', ${statementTimeout}, true)`.as('statement_timeout')),
);

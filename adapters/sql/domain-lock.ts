import { sql } from 'kysely';
import { queryShape } from './prepared-queries.js';

/**
 * Takes, and holds until the transaction ends, the lock of a domain's writes (PostgreSQL,
 * MySQL/MariaDB): raises the `lock_version` of the domain's `cx_domains` row.
 *
 * An `UPDATE` takes the same exclusive row lock as `SELECT … FOR UPDATE` on every row-locking
 * database, so one statement serves PostgreSQL, MySQL and MariaDB alike — and because it
 * *writes* the row, it also serialises the domain across the nodes of a MariaDB Galera
 * cluster, where row locks are node-local: two write transactions of one domain on different
 * nodes both carry this row in their write sets, so certification refuses the later one at
 * commit (MySQL error 1213), and the transaction runner runs it again on fresh data.
 * The cost is one small row version per write transaction (on PostgreSQL a HOT update: the
 * column is in no index).
 *
 * Argument: the domain. Answers one affected row, or none when the row is missing.
 */
export const LOCK_DOMAIN_BY_WRITE = queryShape('lockDomainByWrite', (q, [domain]) =>
  q
    .updateTable('cx_domains')
    .set({ lock_version: sql<number>`lock_version + 1` })
    .where('domain_id', '=', domain),
);

import { sql, type Kysely } from 'kysely';
import type { DialectMigration } from './dialect-migration.js';

/**
 * Migration `0003_domain_lock_version`: a counter on each domain's lock row, which every
 * write transaction raises by one as its first statement (see `domain-lock.ts`).
 *
 * Why a write and not only `SELECT … FOR UPDATE`: on a multi-primary MariaDB Galera cluster
 * row locks are local to one node, and only rows a transaction *writes* take part in the
 * cluster's certification at commit. Writing the domain's row makes any two write
 * transactions of one domain on different nodes conflict, so one of them is refused at
 * commit (and retried) instead of both committing decisions made on stale reads (R28).
 *
 * Frozen in time: literal SQL only, nothing imported from today's schema code. `bigint`
 * works as written on SQLite (integer affinity), PostgreSQL and MySQL/MariaDB.
 */
export const domainLockVersionMigration: DialectMigration = {
  async up(db: Kysely<any>): Promise<void> {
    await sql`alter table cx_domains add column lock_version bigint not null default 0`.execute(db);
  },
  async down(db: Kysely<any>): Promise<void> {
    await sql`alter table cx_domains drop column lock_version`.execute(db);
  },
};

import type { ColumnType } from 'kysely';

/**
 * The tables of the `cx-accounts` SQL schema, as Kysely sees them. Every table name starts
 * with `cx_` so the schema can live in a database the host app also uses.
 *
 * Instants are stored as epoch milliseconds in a 64-bit integer column on every database
 * (see {@link EpochMillis}); drivers may hand them back as a number, a decimal string (pg)
 * or a bigint, so rows are read through the converters of `row-values.ts`.
 *
 * @module
 */

/** An instant as epoch milliseconds: exact to the millisecond and ordered the same everywhere. */
export type EpochMillis = ColumnType<number | string | bigint, number, number>;

/** A 32-bit count or number; some drivers answer aggregates as strings or bigints. */
export type Count = ColumnType<number | string | bigint, number, number>;

/** An auto-increment key the database assigns; never written by the store. */
export type Sequence = ColumnType<number | string | bigint, never, never>;

/** Bytes: a `Buffer` from Node drivers, a `Uint8Array` from PGlite. */
export type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

/** The row that write transactions of one domain lock (PostgreSQL, MySQL). */
export interface DomainTable {
  domain_id: string;
}

/** The `cx_products` table: one row per product of a domain. */
export interface ProductTable {
  domain_id: string;
  product_id: string;
  name: string;
  seat_limit: Count;
  quantity: Count;
}

/**
 * An account, active or reset. The `active_*` columns equal `id`, `domain_id` and the hash
 * of `name_key` while the account is active and are `NULL` after a reset, so unique
 * indexes on them hold among active accounts only (NULLs never collide).
 */
export interface AccountTable {
  key: string;
  domain_id: string;
  id: string;
  name: string;
  name_key: string;
  active_id: string | null;
  active_domain_id: string | null;
  active_name_hash: string | null;
  description: string | null;
  image_file_name: string | null;
  image_byte_length: Count | null;
  image_width: Count | null;
  image_height: Count | null;
  product_id: string;
  agent_count: Count;
  contact_url: string;
  activated_at: EpochMillis;
  reset_at: EpochMillis | null;
  version: Count;
  /** `AccountSettings` as JSON text. */
  settings: string;
}

/** An agent of an account; `position` keeps the order agents were added in. */
export interface AccountAgentTable {
  account_key: string;
  member_id: string;
  position: Count;
}

/** An account's image bytes, in parts of at most 1 MiB (see `binary-parts.ts`). */
export interface AccountImageTable {
  account_key: string;
  part: Count;
  data: Bytes;
}

/** The `cx_contacts` table: customers who added an account, with what was last sent to them. */
export interface ContactTable {
  account_key: string;
  customer_id: string;
  name: string;
  channel: string;
  added_at: EpochMillis;
  welcomed_at: EpochMillis | null;
  last_auto_reply_kind: string | null;
  last_auto_reply_at: EpochMillis | null;
}

/** A room; `seq` keeps insertion order. */
export interface RoomTable {
  seq: Sequence;
  account_key: string;
  room_id: string;
  kind: string;
  customer_id: string | null;
  created_at: EpochMillis;
}

/** The agents of a room, by position. */
export interface RoomAgentTable {
  account_key: string;
  room_id: string;
  position: Count;
  member_id: string;
}

/** The `cx_bots` table: inquiry bots; a reset detaches `dev_console` bots (null account key). */
export interface BotTable {
  domain_id: string;
  bot_id: string;
  name: string;
  origin: string;
  account_key: string | null;
  account_id: string;
  created_at: EpochMillis;
}

/** One history message; `seq` (auto-increment) orders messages of the same instant. */
export interface HistoryTable {
  seq: Sequence;
  account_key: string;
  customer_id: string;
  customer_name: string;
  sent_at: EpochMillis;
  sender_kind: string;
  sender_name: string;
  content: string;
}

/** The `cx_backup_jobs` table: history backup jobs and their lease. */
export interface BackupJobTable {
  domain_id: string;
  job_id: string;
  status: string;
  requested_at: EpochMillis;
  started_at: EpochMillis | null;
  ready_at: EpochMillis | null;
  failure_reason: string | null;
  byte_length: Count | null;
  attempt: Count;
  heartbeat_at: EpochMillis | null;
  filter_from: EpochMillis | null;
  filter_to: EpochMillis | null;
  /** JSON array of account IDs; `null`: every account. */
  filter_account_ids: string | null;
  format: string;
  watermark: Count | null;
  rows_done: Count;
  rows_total: Count | null;
}

/** Chunk `seq` of a backup file (`<jobId>.<attempt>`), split in parts of at most 1 MiB. */
export interface BackupChunkTable {
  domain_id: string;
  file_id: string;
  seq: Count;
  part: Count;
  data: Bytes;
}

/**
 * The whole schema. Give it to your own `Kysely` instance to open a store on it with
 * `createSqlStore`.
 *
 * @example
 * ```ts
 * import { Kysely, PostgresDialect } from 'kysely';
 * import type { CxDatabase } from 'cx-accounts/sql';
 *
 * const db = new Kysely<CxDatabase>({ dialect: new PostgresDialect({ pool }) });
 * ```
 */
export interface CxDatabase {
  cx_domains: DomainTable;
  cx_products: ProductTable;
  cx_accounts: AccountTable;
  cx_account_agents: AccountAgentTable;
  cx_account_images: AccountImageTable;
  cx_contacts: ContactTable;
  cx_rooms: RoomTable;
  cx_room_agents: RoomAgentTable;
  cx_bots: BotTable;
  cx_history: HistoryTable;
  cx_backup_jobs: BackupJobTable;
  cx_backup_chunks: BackupChunkTable;
}

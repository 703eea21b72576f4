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

/**
 * One row per domain: write transactions of the domain lock it (PostgreSQL, MySQL), and it
 * holds the domain's highest event `seq` (`last_seq`, 0 before the first event).
 */
export interface DomainTable {
  domain_id: string;
  last_seq: ColumnType<number | string | bigint, number | undefined, number>;
  /** Raised by every write transaction of the domain, so that it writes this row (migration 0003; see `domain-lock.ts`). */
  lock_version: ColumnType<number | string | bigint, number | undefined, number>;
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

/**
 * One history message. Reads page by `(sent_at, message_id)`; `seq` (auto-increment) keeps
 * insertion order for the backup export. `domain_id` is the account's, copied so that the
 * domain's messages are one index range.
 */
export interface HistoryTable {
  seq: Sequence;
  account_key: string;
  domain_id: string;
  message_id: string;
  /** The account's name when the message was sent. */
  account_name: string;
  customer_id: string;
  customer_name: string;
  channel: string;
  sent_at: EpochMillis;
  /** `customer`, `agent` or `account`. */
  sender_kind: string;
  sender_id: string;
  sender_name: string;
  content: string;
  /** The `seq` of the event that recorded the message; 0 for messages stored before events. */
  event_seq: Count;
}

/** The domain's event log (R30): `seq` counts 1, 2, 3, … per domain. */
export interface EventTable {
  domain_id: string;
  seq: Count;
  type: string;
  account_id: string | null;
  account_uid: string | null;
  at: EpochMillis;
  actor: string | null;
  /** The event's data as JSON text. */
  data: string;
}

/**
 * What a call with a transport message id recorded and answered (R47), by account, direction
 * and message id (migration 0005; before it, by account and message id only).
 */
export interface ReceiptTable {
  account_key: string;
  /** `incoming` or `outgoing`. */
  direction: string;
  message_id: string;
  customer_id: string;
  /** What tells the message from another under the same id; `NULL` for receipts kept before 0005. */
  message: string | null;
  /** The answer as JSON text. */
  answer: string;
  at: EpochMillis;
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
  cx_events: EventTable;
  cx_receipts: ReceiptTable;
  cx_backup_jobs: BackupJobTable;
  cx_backup_chunks: BackupChunkTable;
}

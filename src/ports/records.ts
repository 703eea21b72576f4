import type { AccountSettings } from '../schedule/schedule-types.js';

/**
 * The shapes a {@link Store} keeps. They are plain data (strings, numbers, `Date`,
 * `Uint8Array`, arrays and objects of these), so a store may clone or serialise them freely.
 *
 * @module
 */

/**
 * A purchased product of a domain (R1).
 *
 * @category Stores
 */
export type ProductRecord = {
  productId: string;
  name: string;
  seatLimit: number;
  quantity: number;
};

/**
 * What a store keeps about an account's image; the bytes are kept apart (see `Store`).
 *
 * @category Stores
 */
export type ImageInfo = { fileName: string; byteLength: number; width: number; height: number };

/**
 * An account as the store keeps it, active or reset.
 *
 * @category Stores
 */
export type AccountRecord = {
  /** Internal key, unique forever: an ID may be reused after a reset, a key never is. */
  key: string;
  domainId: string;
  /** The public account ID (R6). */
  id: string;
  name: string;
  /** NFKC + lower-case form of `name`, unique per domain among active accounts (R5). */
  nameKey: string;
  description: string | null;
  image: ImageInfo | null;
  productId: string;
  /** Agents in the order they were added. */
  agentIds: string[];
  contactUrl: string;
  activatedAt: Date;
  /** Set when the account is reset (R24); `null` while active. */
  resetAt: Date | null;
  version: number;
  settings: AccountSettings;
};

/**
 * One row of `accounts.list`, before the product name is attached.
 *
 * @category Stores
 */
export type AccountListRow = {
  id: string;
  name: string;
  productId: string;
  contactUrl: string;
  activatedAt: Date;
  agentCount: number;
};

/**
 * The position after which a page of `accounts.list` starts.
 *
 * @category Stores
 */
export type AccountListPosition = { activatedAt: Date; id: string };

/**
 * The channels through which a customer reaches an account, once: the type {@link Channel},
 * the input schemas and the stores' readers take them from here.
 *
 * @category Stores
 */
export const CHANNELS = ['lineworks', 'line', 'mail'] as const;

/**
 * A channel through which a customer reaches an account.
 *
 * @category Stores
 */
export type Channel = (typeof CHANNELS)[number];

/**
 * The kinds of automatic reply (R21, R23): `welcome` when a customer adds the account,
 * `away` outside the operating hours, `holiday` on a holiday.
 *
 * @category Stores
 */
export const AUTO_REPLY_KINDS = ['welcome', 'away', 'holiday'] as const;

/**
 * A kind of automatic reply, one of {@link AUTO_REPLY_KINDS}.
 *
 * @category Stores
 */
export type AutoReplyKind = (typeof AUTO_REPLY_KINDS)[number];

/**
 * The automatic replies sent while the account is absent, which a contact remembers so that
 * one stretch of absence answers once (R23): every {@link AutoReplyKind} but `welcome`.
 *
 * @category Stores
 */
export const ABSENCE_REPLY_KINDS = ['away', 'holiday'] as const satisfies readonly AutoReplyKind[];

/**
 * A kind of reply sent while the account is absent, one of {@link ABSENCE_REPLY_KINDS}.
 *
 * @category Stores
 */
export type AbsenceReplyKind = (typeof ABSENCE_REPLY_KINDS)[number];

/**
 * A customer who added an account as a contact (R22).
 *
 * @category Stores
 */
export type ContactRecord = {
  accountKey: string;
  customerId: string;
  name: string;
  channel: Channel;
  addedAt: Date;
  /** When the welcome message was sent; `null` when it never was. */
  welcomedAt: Date | null;
  /** The last away or holiday reply sent to this customer (R23). */
  lastAutoReply: { kind: AbsenceReplyKind; at: Date } | null;
};

/**
 * The kinds of room (R40): a `consultation` with one customer, or a `group` of agents.
 *
 * @category Stores
 */
export const ROOM_KINDS = ['consultation', 'group'] as const;

/**
 * A kind of room, one of {@link ROOM_KINDS}.
 *
 * @category Stores
 */
export type RoomKind = (typeof ROOM_KINDS)[number];

/**
 * A conversation space of an account.
 *
 * @category Stores
 */
export type RoomRecord = {
  accountKey: string;
  roomId: string;
  kind: RoomKind;
  /** The customer of a consultation room; `null` for a group room. */
  customerId: string | null;
  agentIds: string[];
  createdAt: Date;
};

/**
 * Where an inquiry bot was registered: by an administrator, or in the developer console.
 *
 * @category Stores
 */
export const BOT_ORIGINS = ['admin', 'dev_console'] as const;

/**
 * Where an inquiry bot was registered, one of {@link BOT_ORIGINS}.
 *
 * @category Stores
 */
export type BotOrigin = (typeof BOT_ORIGINS)[number];

/**
 * An inquiry bot. After a reset, `dev_console` bots are kept with `accountKey: null`.
 *
 * @category Stores
 */
export type BotRecord = {
  domainId: string;
  botId: string;
  name: string;
  origin: BotOrigin;
  accountKey: string | null;
  /** The ID of the account the bot belonged to, kept after detaching. */
  accountId: string;
  createdAt: Date;
};

/**
 * Who may write a history message: a customer, an agent, or the account itself (its
 * automatic replies).
 *
 * @category Stores
 */
export const SENDER_KINDS = ['customer', 'agent', 'account'] as const;

/**
 * Who wrote a history message, one of {@link SENDER_KINDS}.
 *
 * @category Stores
 */
export type SenderKind = (typeof SENDER_KINDS)[number];

/**
 * One message of an account's history (R23, R26, R39).
 *
 * @category Stores
 */
export type HistoryRecord = {
  /**
   * The message's id: the transport's `messageId` when the call gave one (unique per account
   * and direction, R47), else one the core made. Reads order ties by it, then by `eventSeq`.
   */
  messageId: string;
  accountKey: string;
  /** The account's name when the message was sent. */
  accountName: string;
  customerId: string;
  /** The customer's name when the message was sent. */
  customerName: string;
  /** The channel the message went through (R41). */
  channel: Channel;
  sentAt: Date;
  senderKind: SenderKind;
  /** The customer's, the agent's or the account's ID. */
  senderId: string;
  /** The sender's name when the message was sent (customer, agent, or the account for automatic replies). */
  senderName: string;
  content: string;
  /**
   * The `seq` of the event that recorded the message: backups take the messages up to a `seq`
   * (R45). Messages stored before events existed read as 0.
   */
  eventSeq: number;
};

/**
 * A stored message with what reading it needs of its account.
 *
 * @category Stores
 */
export type HistoryRow = HistoryRecord & {
  /** The account's ID (the same for every account that ever had it). */
  accountId: string;
  /** The account's current time zone, for the offset of `sentAt` in exports. */
  timeZone: string;
};

/**
 * Which messages a history read or export takes (R39, R45). Every field narrows; none given
 * means every message of the domain, reset accounts included.
 *
 * @category Stores
 */
export type HistoryFilter = {
  /** Accounts that ever had one of these IDs (every incarnation of an ID). */
  accountIds?: readonly string[];
  customerId?: string;
  /** `sentAt >= from`. */
  from?: Date;
  /** `sentAt < to`. */
  to?: Date;
  /** `eventSeq <= upToEventSeq`: the messages stored before a point in time. */
  upToEventSeq?: number;
};

/**
 * The position after which a page of history starts: order is `sentAt`, then `messageId`, then
 * `eventSeq` (two messages may carry one transport id: in and out, or on two accounts, R47).
 * Without `eventSeq` the page starts after every message with that `sentAt` and `messageId`.
 *
 * @category Stores
 */
export type HistoryPosition = { sentAt: Date; messageId: string; eventSeq?: number };

/**
 * The position after which a page of contacts starts: order is `addedAt`, then `customerId`.
 *
 * @category Stores
 */
export type ContactPosition = { addedAt: Date; customerId: string };

/**
 * Which way a message went: `incoming` (a customer's, `receiveMessage`) or `outgoing` (an
 * agent's, `sendMessage`). Transport message ids are unique per account and direction (R47).
 *
 * @category Stores
 */
export type MessageDirection = 'incoming' | 'outgoing';

/**
 * What a call with a transport `messageId` recorded and answered, kept so that a second call
 * with the same id in the same direction answers the same and records nothing, and a call with
 * the same id but another message is refused (R47).
 *
 * @category Stores
 */
export type ReceiptRecord = {
  accountKey: string;
  direction: MessageDirection;
  /** The transport's own message id: the stored message carries it. */
  messageId: string;
  customerId: string;
  /**
   * What tells this message from another under the same id (customer, channel or agent,
   * content, `at` when given), as the core encodes it; `null` for receipts kept before 0.2,
   * which recorded no message (a later call with their id is taken as a repeat).
   */
  message: string | null;
  /** The first call's answer, plain JSON. */
  answer: unknown;
  at: Date;
};

/**
 * The states of a history backup job (R25, R46).
 *
 * @category Stores
 */
export const BACKUP_STATUSES = ['pending', 'running', 'ready', 'failed', 'cancelled'] as const;

/**
 * The state of a history backup job, one of {@link BACKUP_STATUSES}.
 *
 * @category Stores
 */
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

/**
 * The formats of a backup file (R45): `csv` (R26) and `jsonl` (one JSON object a line).
 *
 * @category Stores
 */
export const BACKUP_FORMATS = ['csv', 'jsonl'] as const;

/**
 * The format of a backup file, one of {@link BACKUP_FORMATS}.
 *
 * @category Stores
 */
export type BackupFormat = (typeof BACKUP_FORMATS)[number];

/**
 * Which messages a backup takes (R45); `null` fields do not narrow.
 *
 * @category Stores
 */
export type BackupFilter = {
  /** `sentAt >= from`. */
  from: Date | null;
  /** `sentAt < to`. */
  to: Date | null;
  /** Accounts that ever had one of these IDs. */
  accountIds: string[] | null;
};

/**
 * A history backup job as the store keeps it.
 *
 * @category Stores
 */
export type BackupJobRecord = {
  domainId: string;
  jobId: string;
  status: BackupStatus;
  requestedAt: Date;
  startedAt: Date | null;
  readyAt: Date | null;
  /** Why the job failed; `null` unless `status` is `failed`. */
  failureReason: string | null;
  /** Bytes of the finished file. */
  byteLength: number | null;
  /**
   * How many times a runner has taken the job up: 0 while `pending` and never started. A runner
   * holds the job while `attempt` is still the number it set; its file's chunks are kept under
   * `<jobId>.<attempt>` (see `Store.appendBackupChunk`).
   */
  attempt: number;
  /**
   * The last sign of life of the runner of the current attempt (set when it starts, renewed as
   * it works); `null` before the first start. A `running` job whose heartbeat is older than the
   * configured stale time is taken over by the next runner.
   */
  heartbeatAt: Date | null;
  /** Which messages the file takes (R45). */
  filter: BackupFilter;
  format: BackupFormat;
  /**
   * The domain's last event `seq` when a runner first took the job up: the file holds the
   * matching messages with `eventSeq <= watermark` (R45), on every attempt. `null` until then.
   */
  watermark: number | null;
  /** Rows written to the file of the current attempt so far (R46). */
  rowsDone: number;
  /** Rows the file will hold (R46), counted when the watermark is set; `null` until then. */
  rowsTotal: number | null;
};

/**
 * The fields of an account that a change may set; a field left out keeps its value. The
 * account's key, domain, ID, contact URL and activation time never change.
 *
 * @category Stores
 */
export type AccountPatch = {
  name?: string;
  /** Always given together with `name`. */
  nameKey?: string;
  description?: string | null;
  productId?: string;
  settings?: AccountSettings;
};

/**
 * The fields of a contact that a change may set; a field left out keeps its value. Its
 * account, customer and `addedAt` never change.
 *
 * @category Stores
 */
export type ContactPatch = Partial<Pick<ContactRecord, 'name' | 'channel' | 'welcomedAt' | 'lastAutoReply'>>;

/**
 * What a runner sets when it takes a backup job up (see `StoreTransaction.claimBackupJob`).
 *
 * @category Stores
 */
export type BackupClaim = { attempt: number; at: Date; watermark: number };

/**
 * A backup runner's sign of life and counts (R46); a field left out keeps its value.
 *
 * @category Stores
 */
export type BackupProgress = { heartbeatAt?: Date; rowsDone?: number; rowsTotal?: number };

/**
 * A finished backup file: when, its size in bytes, and the rows it holds.
 *
 * @category Stores
 */
export type BackupReady = { at: Date; byteLength: number; rows: number };

/**
 * An image to store with an account: what the account record shows, and the bytes.
 *
 * @category Stores
 */
export type StoredImage = { info: ImageInfo; data: Uint8Array };

/**
 * An event as an operation hands it to the store: everything but `seq` and `domainId`, which
 * the store adds (see `StoreTransaction.appendEvents`).
 *
 * @category Stores
 */
export type EventDraft = {
  type: string;
  accountId: string | null;
  accountUid: string | null;
  at: Date;
  actor: string | null;
  /** Plain JSON data: strings, numbers, booleans, `null`, arrays and objects of these. */
  data: Record<string, unknown>;
};

/**
 * An event as the store keeps it (R30).
 *
 * @category Stores
 */
export type EventRecord = EventDraft & { seq: number; domainId: string };

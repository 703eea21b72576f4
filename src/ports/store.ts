import type { Result } from 'neverthrow';
import type { CxError } from '../errors.js';
import type {
  AccountListPosition,
  AccountListRow,
  AccountPatch,
  AccountRecord,
  BackupClaim,
  BackupJobRecord,
  BackupProgress,
  BackupReady,
  BackupStatus,
  BotRecord,
  ContactPatch,
  ContactPosition,
  ContactRecord,
  EventDraft,
  EventRecord,
  HistoryFilter,
  HistoryPosition,
  HistoryRecord,
  HistoryRow,
  MessageDirection,
  ProductRecord,
  ReceiptRecord,
  RoomRecord,
  StoredImage,
} from './records.js';
import type { EventWatcher, WebhookAttemptRecord, WebhookDeliveryState, WebhookEndpointRecord, WebhookTransaction } from './webhook-port.js';

/**
 * The repository an operation reads and writes through, inside one transaction bound to
 * one domain. Methods are narrow and named after the domain; every one that takes no
 * `domainId` works within the transaction's domain, except where it says "any domain".
 *
 * Methods may reject (a driver error); the {@link Store.transaction} that runs them turns
 * that into a `store_failure` and rolls back.
 *
 * @category Stores
 */
export interface StoreTransaction {
  // Products
  /** The product, or `null` when the domain has none with this id. */
  getProduct(productId: string): Promise<ProductRecord | null>;
  /** Every product of the domain, by `productId`. */
  listProducts(): Promise<ProductRecord[]>;
  /** Sets a product's terms (name, seat limit, quantity), creating it when the domain has none with its id. */
  setProduct(product: ProductRecord): Promise<void>;
  /**
   * Per product id, the number of active accounts of the domain on it and the largest agent
   * count among them (products with no active account may be left out).
   */
  productUsage(): Promise<Map<string, ProductUsage>>;

  // Accounts
  /**
   * The active account with this ID in the domain, or `null`. The record is the caller's to
   * read, not to change: a store may share parts of it between reads (the SQL store shares
   * parsed `settings`, frozen), and the core copies what it hands on.
   */
  findAccount(accountId: string): Promise<AccountRecord | null>;
  /** Whether an active account of any domain has this ID. */
  isAccountIdActive(accountId: string): Promise<boolean>;
  /** The active account of the domain that holds this normalised name (R5): its key and ID, or `null` (R50). */
  findAccountByName(nameKey: string): Promise<{ key: string; id: string } | null>;
  /** The ID of the account of the domain with this key (its `uid`), active or reset, or `null` (R40). */
  findAccountIdByUid(accountKey: string): Promise<string | null>;
  /** Inserts a new active account, its agents and, when given, its image bytes. */
  insertAccount(account: AccountRecord, imageData: Uint8Array | null): Promise<void>;
  /**
   * Sets the fields of `patch` on an active account of the domain and its `version`; fields
   * left out keep their value. Rejects when there is no such account.
   */
  patchAccount(accountKey: string, patch: AccountPatch, version: number): Promise<void>;
  /** Replaces an account's image (info and bytes), or removes it with `null`. */
  setAccountImage(accountKey: string, image: StoredImage | null): Promise<void>;
  /** Appends agents to an account, after the ones it has (none of them is an agent yet). */
  addAgents(accountKey: string, memberIds: readonly string[]): Promise<void>;
  /** Takes agents off an account (each of them is an agent); the others keep their order. */
  removeAgents(accountKey: string, memberIds: readonly string[]): Promise<void>;
  /**
   * Ends an active account (R24): sets `resetAt` and `version`, and frees its ID and name at
   * once. Its agents, contacts and history stay stored.
   */
  markReset(accountKey: string, resetAt: Date, version: number): Promise<void>;
  /** The stored image bytes of an account, or `null`. */
  getAccountImage(accountKey: string): Promise<Uint8Array | null>;
  /** Active accounts of the domain after `after` in (activatedAt, id) order, at most `limit`. */
  listAccounts(after: AccountListPosition | null, limit: number): Promise<AccountListRow[]>;
  /** IDs of the active accounts of the domain that have this member as an agent, in list order. */
  activeAccountIdsOfAgent(memberId: string): Promise<string[]>;

  // Contacts
  /** The contact of an account (active or reset), or `null`. */
  findContact(accountKey: string, customerId: string): Promise<ContactRecord | null>;
  /** Adds a contact the account does not have yet. */
  insertContact(contact: ContactRecord): Promise<void>;
  /**
   * Sets the fields of `patch` on a contact of an account; fields left out keep their value.
   * Rejects when there is no such contact.
   */
  patchContact(accountKey: string, customerId: string, patch: ContactPatch): Promise<void>;
  /** Contacts of an account after `after` in (addedAt, customerId) order, at most `limit` (R40). */
  listContacts(accountKey: string, after: ContactPosition | null, limit: number): Promise<ContactRecord[]>;
  /**
   * Removes a customer from every account of the domain, reset ones included (R42): its
   * contacts (and so the memory of replies sent to it), its messages, its consultation rooms
   * and its receipts. Answers what it removed.
   */
  eraseCustomer(customerId: string): Promise<{ contacts: number; messages: number; rooms: number }>;

  // Rooms
  /** The rooms of an account, in the order they were opened. */
  listRooms(accountKey: string): Promise<RoomRecord[]>;
  /** Adds a room. */
  insertRoom(room: RoomRecord): Promise<void>;
  /** Takes a member out of every room of an account (R16). */
  removeAgentFromRooms(accountKey: string, memberId: string): Promise<void>;
  /** Adds members (none of them in it yet) to a room of an account, after its agents (R36). */
  addRoomAgents(accountKey: string, roomId: string, memberIds: readonly string[]): Promise<void>;
  /** Deletes every room of an account; answers how many there were. */
  deleteRooms(accountKey: string): Promise<number>;

  // Bots
  /** The bot with this id in the domain (attached or detached), or `null`. */
  findBot(botId: string): Promise<BotRecord | null>;
  /** Adds a bot. */
  insertBot(bot: BotRecord): Promise<void>;
  /** The bots of the domain by `botId`; only those attached to `accountKey` when it is given (R38). */
  listBots(accountKey?: string): Promise<BotRecord[]>;
  /** Attaches a bot of the domain to an account. */
  attachBot(botId: string, accountKey: string, accountId: string): Promise<void>;
  /** Deletes a bot of the domain (nothing when there is none). */
  deleteBot(botId: string): Promise<void>;
  /** Deletes the `admin` bots of an account and detaches its `dev_console` bots (R24). */
  resetBots(accountKey: string): Promise<{ deleted: number; kept: number }>;

  // History
  /** Appends a message to the history. */
  appendHistory(entry: HistoryRecord): Promise<void>;
  /**
   * Messages of the domain that match `filter`, after `after` in (sentAt, messageId, eventSeq) order, at
   * most `limit` (R39, R45). Keyset: a late page costs what the first does.
   */
  readHistory(filter: HistoryFilter, after: HistoryPosition | null, limit: number): Promise<HistoryRow[]>;
  /** How many messages of the domain match `filter` (R46's `rowsTotal`). */
  countHistory(filter: HistoryFilter): Promise<number>;

  // Receipts of transport message ids (R47)
  /** The receipt of a transport message id on an account, in one direction, or `null`. */
  findReceipt(accountKey: string, direction: MessageDirection, messageId: string): Promise<ReceiptRecord | null>;
  /** Keeps a receipt. */
  putReceipt(receipt: ReceiptRecord): Promise<void>;

  // Events
  /**
   * Appends events to the domain's log (R30), numbering them on from the domain's highest
   * `seq` with no gap: 1, 2, 3, … per domain. Write transactions of a domain are serialised,
   * so `seq` order is commit order: a reader that has seen up to N never later finds a new
   * event numbered N or lower. Answers the `seq` given to each event, in order.
   */
  appendEvents(events: readonly EventDraft[]): Promise<number[]>;
  /** The domain's events with `seq > after`, in `seq` order, at most `limit` (keyset: no scan of earlier events). */
  readEvents(after: number, limit: number): Promise<EventRecord[]>;
  /** The domain's highest `seq`, 0 when it has none. */
  lastEventSeq(): Promise<number>;

  // Backup jobs
  /** Adds a backup job. */
  insertBackupJob(job: BackupJobRecord): Promise<void>;
  /** The job of the domain with this id, or `null`. */
  getBackupJob(jobId: string): Promise<BackupJobRecord | null>;
  /**
   * A runner takes the job up (R25): `running`, the attempt's number, `startedAt` and
   * `heartbeatAt` both `at`, the point in time (R45); no file, no failure, no rows counted yet.
   * Each of the job writes below rejects when the domain has no such job.
   */
  claimBackupJob(jobId: string, claim: BackupClaim): Promise<void>;
  /** The runner's sign of life and counts (R46); fields left out keep their value. */
  recordBackupProgress(jobId: string, progress: BackupProgress): Promise<void>;
  /** The file is complete: `ready` at `at` (also the last heartbeat), its size, and the rows it holds (done and total). */
  markBackupReady(jobId: string, ready: BackupReady): Promise<void>;
  /** The job failed at `at` (its last heartbeat), for `reason`. */
  markBackupFailed(jobId: string, reason: string, at: Date): Promise<void>;
  /** The job is cancelled: no file, no failure. */
  cancelBackupJob(jobId: string): Promise<void>;
  /**
   * An erasure sends a running job back to `pending` (R42): not started, no heartbeat, no file,
   * no rows; its attempt count and point in time stay.
   */
  requeueBackupJob(jobId: string): Promise<void>;
  /** Deletes a job of the domain (nothing when there is none). Its file's chunks are deleted apart. */
  deleteBackupJob(jobId: string): Promise<void>;
  /**
   * The domain's jobs with one of these statuses, oldest `requestedAt` first (ties by `jobId`):
   * an erasure reads the `running` ones, and the `failed` and `cancelled` ones whose runner may
   * have left chunks, to keep the erased customer out of them (R42).
   */
  listBackupJobs(statuses: readonly BackupStatus[]): Promise<BackupJobRecord[]>;
  /**
   * Deletes the chunks of these backup files of the domain within the transaction (R42: an
   * erasure takes the customer out of the files of running jobs in the same commit).
   */
  deleteBackupFiles(fileIds: readonly string[]): Promise<void>;

  // Webhooks (R53, R54); optional: a store without them answers `config_invalid` to `webhooks.*`.
  /** The domain's webhook endpoints and delivery attempts. */
  webhooks?(): WebhookTransaction;
}

/**
 * The attempt a chunk is written for: `appendBackupChunk` stores it only while `jobId` is
 * `running` in this `attempt`.
 *
 * @category Stores
 */
export type BackupLease = { jobId: string; attempt: number };

/**
 * How a product is used by the active accounts of its domain.
 *
 * @category Stores
 */
export type ProductUsage = { inUse: number; maxAgents: number };

/**
 * Whether a transaction only reads, or may write.
 *
 * @category Stores
 */
export type TransactionMode = 'read' | 'write';

/**
 * Where `cx-accounts` keeps its data. Get one from an adapter (`memoryStore()` from
 * `cx-accounts/memory`, `openSqlite()` and friends from `cx-accounts/sql`) or write your own
 * and check it with the conformance suite.
 *
 * Contract:
 * - `transaction` runs `work` all-or-nothing: when `work` answers `err`, or rejects, nothing it
 *   wrote stays. Write transactions on one domain are serialised (or behave as if they were),
 *   so rules checked by reading hold when the writes land. Global uniqueness of active account
 *   IDs must be enforced by the store itself, answering `id_taken` (and `name_taken` for the
 *   per-domain name key) when a concurrent write won.
 * - Failures of the storage itself become `store_failure` with the original error as `cause`
 *   and `outcome: 'rolled_back'`, or `outcome: 'unknown'` when the connection was lost while
 *   committing (nobody can know whether the change was kept). The core lets `work` reject only
 *   with an error a store method rejected with; its own defects come back as `internal` values.
 * - Every successful write transaction of an operation appends that operation's events
 *   ({@link StoreTransaction.appendEvents}) before it commits.
 *
 * @category Stores
 */
export interface Store {
  /**
   * The database behind the store, as OpenTelemetry's `db.system.name` names it (`sqlite`,
   * `postgresql`, `mysql`, `mariadb`, …), put on each operation's span. Leave it out when
   * there is none (the memory store) or the store cannot tell (a MySQL dialect that may be
   * MySQL or MariaDB).
   */
  readonly databaseSystem?: string;

  /** Runs `work` in one transaction bound to `domainId`. Never rejects. */
  transaction<T>(
    domainId: string,
    mode: TransactionMode,
    work: (tx: StoreTransaction) => PromiseLike<Result<T, CxError>>,
  ): Promise<Result<T, CxError>>;

  /**
   * Stores chunk number `seq` (0, 1, 2, …) of a backup file. `fileId` names one attempt's file,
   * `<jobId>.<attempt>`: it is not a job id, so chunks must not be tied to the job table by a
   * foreign key. Chunks of one file come in order from one writer at a time.
   *
   * Given `lease`, the chunk is stored only while that job is `running` in that attempt,
   * checked atomically with the write (a job update waits for it, or it sees the update), and
   * the answer is `false` when it was not stored: a runner that was frozen, taken over, cancelled
   * or restarted by an erasure never writes again (R42: no chunk outlives its job). Without
   * `lease` (or from a store that does not check it) the answer is `true` or nothing: stored.
   */
  appendBackupChunk(domainId: string, fileId: string, seq: number, data: Uint8Array, lease?: BackupLease): Promise<boolean | void>;
  /** Streams a stored backup file's chunks by `seq`. The iterator may throw on a storage failure. */
  readBackupChunks(domainId: string, fileId: string): AsyncIterable<Uint8Array>;
  /** Deletes a backup file's chunks (nothing when there are none). */
  deleteBackupChunks(domainId: string, fileId: string): Promise<void>;

  /**
   * Any domain: the backup jobs a runner should take up, oldest `requestedAt` first (ties by
   * `jobId`), at most `limit`: every `pending` job, and every `running` job whose `heartbeatAt`
   * is before `staleBefore` (its runner stopped).
   */
  listRunnableBackupJobs(staleBefore: Date, limit: number): Promise<BackupJobRecord[]>;
  /**
   * Any domain: the backup jobs past their retention, oldest `requestedAt` first (ties by
   * `jobId`), at most `limit`: `ready` jobs whose `readyAt` is before `before`, and `failed` and
   * `cancelled` jobs whose `requestedAt` is before it.
   */
  listExpiredBackupJobs(before: Date, limit: number): Promise<BackupJobRecord[]>;

  /**
   * Optional (R52): calls `watcher.wake()` after events of `domainId` may have committed — in
   * this process at once, and from other processes as soon as the store can tell (a poll of
   * the domains' last `seq`, LISTEN/NOTIFY) — and `watcher.closed()` when the store closes.
   * One listener or poller serves every watcher of the store. Answers a function that stops
   * watching. Without it, `events.subscribe` polls every second.
   */
  watchEvents?(domainId: string, watcher: EventWatcher): () => void;

  /**
   * Any domain (R54): the `active` endpoints a delivery runner should take up now, at most
   * `limit`: those whose domain has events after their `deliveredSeq`, whose `nextAttemptAt`
   * is `null` or not after `now`, and whose lease is free or ended before `now`.
   */
  listDueWebhookEndpoints?(now: Date, limit: number): Promise<WebhookEndpointRecord[]>;

  /**
   * Any domain (R54), for the delivery runner that holds an endpoint: while the endpoint is
   * `active` and its `leaseToken` is `leaseToken`, writes `state` to it and, given one,
   * records `attempt`, both or neither; answers whether it did (`false`: the endpoint is gone,
   * disabled, or held by another runner, and nothing changed).
   *
   * It does not take the domain's write lock, so the attempts of a domain's endpoints commit
   * side by side (on PostgreSQL one WAL flush serves several) rather than one at a time behind
   * the host's writes. It appends no event. A store without it has each attempt recorded in a
   * write transaction of the domain (`webhooks()`), as before.
   */
  recordWebhookDelivery?(domainId: string, endpointId: string, leaseToken: string, state: WebhookDeliveryState, attempt: WebhookAttemptRecord | null): Promise<boolean>;
}

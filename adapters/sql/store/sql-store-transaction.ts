import type { Compilable, DatabaseConnection, Kysely, QueryResult, Selectable, Updateable } from 'kysely';
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
} from '../../../src/ports/records.js';
import { ROOM_KINDS } from '../../../src/ports/records.js';
import type { ProductUsage, StoreTransaction } from '../../../src/ports/store.js';
import { asStoreError } from '../../../src/ports/store-error.js';
import type { AccountAgentMemo } from './account-agent-memo.js';
import { heldAccountWrites } from './held-account-writes.js';
import { transactionAgentLists, type StoredAgents, type TransactionAgentLists } from './transaction-agent-lists.js';
import { joinParts, splitParts } from '../queries/binary-parts.js';
import type {
  AccountTable,
  BackupJobTable,
  BotTable,
  ContactTable,
  CxDatabase,
  EventTable,
  ProductTable,
  ReceiptTable,
  RoomTable,
} from '../cx-database.js';
import { nameKeyHash } from '../queries/name-key-hash.js';
import type { PreparedQueries, QueryShape } from '../queries/prepared-queries.js';
import {
  ACCOUNT_INSERT_COLUMNS,
  accountToRow,
  backupJobToRow,
  botToRow,
  contactPatchToRow,
  contactToRow,
  pushEventValues,
  HISTORY_COLUMNS,
  historyRowAccountKey,
  historyRowOf,
  historyToRow,
  type HistoryReadRow,
  type HistoryReadValues,
  productToRow,
  rowToAccount,
  rowToBackupJob,
  rowToBot,
  rowToContact,
  rowToEvent,
  rowToProduct,
  rowToReceipt,
} from '../queries/record-rows.js';
import { storedMember, toDate, toDriverBytes, toMillis, toNumber } from '../queries/row-values.js';
import { timeZoneOfSettings, type SettingsMemo } from './settings-memo.js';
import type { SqlCapabilities } from '../sql-dialect.js';
import * as Q from '../queries/store-queries.js';
import { upsertQuery } from '../queries/upsert.js';
import type { WebhookAttemptRecord, WebhookDeliveryState, WebhookTransaction } from '../../../src/ports/webhook-port.js';
import { attemptArguments, FIND_HELD_ENDPOINT, heldEndpointArguments, INSERT_ATTEMPT, sqlWebhookTransaction, UPDATE_HELD_ENDPOINT } from '../queries/webhook-queries.js';


type Numeric = number | string | bigint;

/** Most rows one multi-row statement writes (or values one IN list holds). */
const ROWS_PER_STATEMENT = 1000;

/** Most events one statement writes (8 values each). */
const EVENTS_PER_STATEMENT = 500;


/** What a store remembers across its transactions (see `settings-memo.ts`, `account-agent-memo.ts`). */
export type StoreMemos = { agents: AccountAgentMemo; settingsOf: SettingsMemo };

/** What a history read needs of an account: its ID and its time zone. */
type AccountInfo = { id: string; timeZone: string };

/**
 * The repository of one SQL transaction, bound to one driver connection and one domain.
 * Queries are built with `db` (which never runs them) and run on `connection`, most of them
 * from prepared shapes (`store-queries.ts`).
 *
 * It keeps two things beyond its statements, each in a unit of its own with the benchmark
 * that pays for it: the agent lists it read or wrote (`transaction-agent-lists.ts`, handed to
 * the store's `account-agent-memo.ts` after commit), and account row writes held back so that
 * an operation writes each account row once (`held-account-writes.ts`, written by
 * {@link beforeCommit} at the latest). Parsed settings come from the store's `settings-memo.ts`.
 *
 * Events are numbered on the domain's `cx_domains.last_seq`: one statement raises it (and
 * creates the row on SQLite, which locks no row) and answers the new value, one more writes
 * the events. The domain is locked, so the numbers are gap-free and in commit order, and a
 * rollback takes them back with everything else.
 *
 * Every method records the first statement that failed ({@link failure}): after a failed
 * statement PostgreSQL refuses the rest of the transaction (and COMMIT quietly rolls back),
 * so the store must roll back even when `work` caught the rejection and answered `ok`.
 */
export class SqlStoreTransaction implements StoreTransaction {
  readonly #connection: DatabaseConnection;
  readonly #db: Kysely<CxDatabase>;
  readonly #caps: SqlCapabilities;
  readonly #queries: PreparedQueries;
  readonly #domainId: string;
  readonly #memos: StoreMemos;
  readonly #agents: TransactionAgentLists;
  readonly #held = heldAccountWrites();
  #failure: { error: unknown } | null = null;

  constructor(
    connection: DatabaseConnection,
    db: Kysely<CxDatabase>,
    caps: SqlCapabilities,
    queries: PreparedQueries,
    domainId: string,
    memos: StoreMemos,
  ) {
    this.#connection = connection;
    this.#memos = memos;
    this.#agents = transactionAgentLists(memos.agents);
    this.#db = db;
    this.#caps = caps;
    this.#queries = queries;
    this.#domainId = domainId;
  }

  /** The first error a method rejected with, or `null`. Once set, the transaction must not commit. */
  failure(): { error: unknown } | null {
    return this.#failure;
  }

  /**
   * Writes what was held back, before the runner commits. An operation that adds or removes
   * agents also raises the account's `version`; whatever the order of the two calls, the
   * account row takes one UPDATE for both: `agent_count` and a bare `version` change of an
   * account known active are held back until the account's next change, its next read, or
   * here.
   */
  beforeCommit(): Promise<void> {
    return this.#held.size === 0 ? Promise.resolve() : this.#guard(() => this.#flushPending());
  }

  /**
   * Once the transaction committed: the store remembers the agent lists it read or wrote, at
   * the version each account committed at, for later transactions (`account-agent-memo.ts`).
   */
  afterCommit(): void {
    this.#agents.committed();
  }

  // Products

  getProduct(productId: string): Promise<ProductRecord | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<Selectable<ProductTable>>(Q.GET_PRODUCT, [this.#domainId, productId]);
      return row ? rowToProduct(row) : null;
    });
  }

  listProducts(): Promise<ProductRecord[]> {
    return this.#guard(async () => {
      const list = (await this.#rows<Selectable<ProductTable>>(Q.LIST_PRODUCTS, [this.#domainId])).map(rowToProduct);
      // JavaScript order, as the memory store sorts: the database's collation may differ.
      return list.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    });
  }

  setProduct(product: ProductRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#once(upsertQuery(this.#db, this.#caps, 'cx_products', productToRow(this.#domainId, product), ['domain_id', 'product_id']));
    });
  }

  productUsage(): Promise<Map<string, ProductUsage>> {
    return this.#guard(async () => {
      await this.#flushPending();
      const rows = await this.#rows<{ product_id: string; in_use: Numeric; max_agents: Numeric }>(Q.PRODUCT_USAGE, [this.#domainId]);
      return new Map(rows.map((row) => [row.product_id, { inUse: toNumber(row.in_use), maxAgents: toNumber(row.max_agents) }]));
    });
  }

  // Accounts

  findAccount(accountId: string): Promise<AccountRecord | null> {
    return this.#guard(async () => {
      if (this.#held.size > 0) await this.#flushPending();
      const [row] = await this.#rows<Selectable<AccountTable>>(Q.FIND_ACCOUNT, [accountId.toLowerCase(), this.#domainId]);
      if (!row) return null;
      this.#held.markActive(row.key);
      this.#agents.readAt(row.key, toNumber(row.version));
      const agents = this.#agents.get(row.key) ?? (await this.#loadAgents(row.key));
      return rowToAccount(row, [...agents.ids], this.#memos.settingsOf(row.key, row.settings));
    });
  }

  isAccountIdActive(accountId: string): Promise<boolean> {
    return this.#guard(async () => (await this.#rows(Q.IS_ACCOUNT_ID_ACTIVE, [accountId.toLowerCase()])).length > 0);
  }

  findAccountByName(nameKey: string): Promise<{ key: string; id: string } | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<{ key: string; id: string }>(Q.ACCOUNT_WITH_NAME, [this.#domainId, nameKeyHash(nameKey)]);
      return row ? { key: row.key, id: row.id } : null;
    });
  }

  findAccountIdByUid(accountKey: string): Promise<string | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<{ id: string }>(Q.ACCOUNT_ID_OF_KEY, [this.#domainId, accountKey]);
      return row ? row.id : null;
    });
  }

  insertAccount(account: AccountRecord, imageData: Uint8Array | null): Promise<void> {
    return this.#guard(async () => {
      if (account.domainId !== this.#domainId) throw new Error('account of another domain');
      const row = accountToRow(account);
      await this.#run(
        Q.INSERT_ACCOUNT,
        ACCOUNT_INSERT_COLUMNS.map((column) => row[column]),
      );
      await this.#insertAgents(account.key, account.agentIds, 0);
      this.#agents.set(account.key, { ids: [...account.agentIds], nextPosition: account.agentIds.length });
      if (account.resetAt === null) this.#held.markActive(account.key);
      this.#agents.setVersion(account.key, account.version);
      if (imageData) await this.#writeImage(account.key, imageData);
    });
  }

  patchAccount(accountKey: string, patch: AccountPatch, version: number): Promise<void> {
    return this.#guard(async () => {
      this.#agents.setVersion(accountKey, version);
      const changes: [string, unknown][] = [];
      if (patch.name !== undefined) {
        if (patch.nameKey === undefined) throw new Error('patchAccount: a name comes with its nameKey');
        changes.push(['name', patch.name], ['name_key', patch.nameKey], ['active_name_hash', nameKeyHash(patch.nameKey)]);
      }
      if (patch.description !== undefined) changes.push(['description', patch.description]);
      if (patch.productId !== undefined) changes.push(['product_id', patch.productId]);
      if (patch.settings !== undefined) {
        changes.push(['settings', JSON.stringify(patch.settings)]);
      }
      if (changes.length === 0 && this.#held.isKnownActive(accountKey)) {
        // Only the version: held back to go with the agent count (see beforeCommit).
        this.#held.hold(accountKey, { version });
        return;
      }
      await this.#writeAccountRow(accountKey, changes, version);
    });
  }

  setAccountImage(accountKey: string, image: StoredImage | null): Promise<void> {
    return this.#guard(async () => {
      const info = image?.info ?? null;
      const updated = await this.#affected(Q.SET_ACCOUNT_IMAGE, [
        info?.fileName ?? null,
        info?.byteLength ?? null,
        info?.width ?? null,
        info?.height ?? null,
        accountKey,
        this.#domainId,
      ]);
      if (updated === 0) throw new Error(`no account with key ${accountKey}`);
      await this.#writeImage(accountKey, image?.data ?? null);
    });
  }

  addAgents(accountKey: string, memberIds: readonly string[]): Promise<void> {
    return this.#guard(async () => {
      if (memberIds.length === 0) return;
      const stored = this.#agents.get(accountKey) ?? (await this.#loadAgents(accountKey));
      this.#memos.agents.forget(accountKey);
      await this.#insertAgents(accountKey, memberIds, stored.nextPosition);
      const ids = [...stored.ids, ...memberIds];
      this.#agents.set(accountKey, { ids, nextPosition: stored.nextPosition + memberIds.length });
      this.#held.hold(accountKey, { agentCount: ids.length });
    });
  }

  removeAgents(accountKey: string, memberIds: readonly string[]): Promise<void> {
    return this.#guard(async () => {
      if (memberIds.length === 0) return;
      const stored = this.#agents.get(accountKey) ?? (await this.#loadAgents(accountKey));
      this.#memos.agents.forget(accountKey);
      await this.#deleteAgents(accountKey, memberIds);
      const removed = new Set(memberIds);
      const ids = stored.ids.filter((id) => !removed.has(id));
      this.#agents.set(accountKey, { ids, nextPosition: stored.nextPosition });
      this.#held.hold(accountKey, { agentCount: ids.length });
    });
  }

  markReset(accountKey: string, resetAt: Date, version: number): Promise<void> {
    return this.#guard(async () => {
      await this.#flushPending();
      const updated = await this.#affected(Q.MARK_RESET, [toMillis(resetAt), version, accountKey, this.#domainId]);
      if (updated === 0) throw new Error(`no active account with key ${accountKey}`);
      this.#held.markEnded(accountKey);
      this.#agents.forget(accountKey);
    });
  }

  getAccountImage(accountKey: string): Promise<Uint8Array | null> {
    return this.#guard(async () => {
      const parts = await this.#rows<{ data: Uint8Array }>(Q.IMAGE_PARTS, [accountKey]);
      return parts.length === 0 ? null : joinParts(parts.map((part) => part.data));
    });
  }

  listAccounts(after: AccountListPosition | null, limit: number): Promise<AccountListRow[]> {
    return this.#guard(async () => {
      await this.#flushPending();
      type Row = Pick<Selectable<AccountTable>, 'id' | 'name' | 'product_id' | 'contact_url' | 'activated_at' | 'agent_count'>;
      const rows = after
        ? await this.#rows<Row>(Q.LIST_ACCOUNTS_AFTER, [this.#domainId, toMillis(after.activatedAt), after.id, limit])
        : await this.#rows<Row>(Q.LIST_ACCOUNTS_FIRST, [this.#domainId, limit]);
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        productId: row.product_id,
        contactUrl: row.contact_url,
        activatedAt: toDate(row.activated_at),
        agentCount: toNumber(row.agent_count),
      }));
    });
  }

  activeAccountIdsOfAgent(memberId: string): Promise<string[]> {
    return this.#guard(async () => (await this.#rows<{ id: string }>(Q.ACTIVE_ACCOUNT_IDS_OF_AGENT, [memberId, this.#domainId])).map((row) => row.id));
  }

  // Contacts

  findContact(accountKey: string, customerId: string): Promise<ContactRecord | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<Selectable<ContactTable>>(Q.FIND_CONTACT, [accountKey, customerId]);
      return row ? rowToContact(row) : null;
    });
  }

  insertContact(contact: ContactRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#once(this.#db.insertInto('cx_contacts').values(contactToRow(contact)));
    });
  }

  patchContact(accountKey: string, customerId: string, patch: ContactPatch): Promise<void> {
    return this.#guard(async () => {
      const changes = contactPatchToRow(patch);
      if (Object.keys(changes).length === 0) {
        if ((await this.#rows(Q.FIND_CONTACT, [accountKey, customerId])).length === 0) throw new Error(`no contact ${customerId}`);
        return;
      }
      const result = await this.#once(
        this.#db.updateTable('cx_contacts').set(changes).where('account_key', '=', accountKey).where('customer_id', '=', customerId),
      );
      if (Number(result.numAffectedRows ?? 0) === 0) throw new Error(`no contact ${customerId}`);
    });
  }

  listContacts(accountKey: string, after: ContactPosition | null, limit: number): Promise<ContactRecord[]> {
    return this.#guard(async () => {
      const rows = after
        ? await this.#rows<Selectable<ContactTable>>(Q.LIST_CONTACTS_AFTER, [accountKey, toMillis(after.addedAt), after.customerId, limit])
        : await this.#rows<Selectable<ContactTable>>(Q.LIST_CONTACTS_FIRST, [accountKey, limit]);
      return rows.map(rowToContact);
    });
  }

  eraseCustomer(customerId: string): Promise<{ contacts: number; messages: number; rooms: number }> {
    return this.#guard(async () => {
      const domain = this.#domainId;
      const rooms = await this.#rows<{ account_key: string; room_id: string }>(Q.CUSTOMER_ROOMS, [domain, customerId]);
      for (const room of rooms) {
        await this.#run(Q.DELETE_AGENTS_OF_ROOM, [room.account_key, room.room_id]);
        await this.#run(Q.DELETE_ROOM, [room.account_key, room.room_id]);
      }
      const contacts = await this.#affected(Q.ERASE_CONTACTS, [domain, customerId]);
      const messages = await this.#affected(Q.ERASE_HISTORY, [domain, customerId]);
      await this.#run(Q.ERASE_RECEIPTS, [domain, customerId]);
      return { contacts, messages, rooms: rooms.length };
    });
  }

  // Rooms

  listRooms(accountKey: string): Promise<RoomRecord[]> {
    return this.#guard(async () => {
      const rooms = await this.#rows<Selectable<RoomTable>>(Q.LIST_ROOMS, [accountKey]);
      if (rooms.length === 0) return [];
      const agents = await this.#rows<{ room_id: string; member_id: string }>(Q.LIST_ROOM_AGENTS, [accountKey]);
      const agentsByRoom = new Map<string, string[]>();
      for (const agent of agents) agentsByRoom.set(agent.room_id, [...(agentsByRoom.get(agent.room_id) ?? []), agent.member_id]);
      return rooms.map((room) => ({
        accountKey: room.account_key,
        roomId: room.room_id,
        kind: storedMember(ROOM_KINDS, room.kind, 'cx_rooms.kind'),
        customerId: room.customer_id,
        agentIds: [...(agentsByRoom.get(room.room_id) ?? [])],
        createdAt: toDate(room.created_at),
      }));
    });
  }

  insertRoom(room: RoomRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#run(Q.INSERT_ROOM, [room.accountKey, room.roomId, room.kind, room.customerId, toMillis(room.createdAt)]);
      if (room.agentIds.length > 0) {
        await this.#once(
          this.#db
            .insertInto('cx_room_agents')
            .values(room.agentIds.map((memberId, position) => ({ account_key: room.accountKey, room_id: room.roomId, position, member_id: memberId }))),
        );
      }
    });
  }

  removeAgentFromRooms(accountKey: string, memberId: string): Promise<void> {
    return this.#guard(async () => {
      await this.#run(Q.REMOVE_AGENT_FROM_ROOMS, [accountKey, memberId]);
    });
  }

  addRoomAgents(accountKey: string, roomId: string, memberIds: readonly string[]): Promise<void> {
    return this.#guard(async () => {
      if (memberIds.length === 0) return;
      const [row] = await this.#rows<{ last: Numeric | null }>(Q.LAST_ROOM_AGENT_POSITION, [accountKey, roomId]);
      const first = row?.last === null || row?.last === undefined ? 0 : toNumber(row.last) + 1;
      for (let start = 0; start < memberIds.length; start += ROWS_PER_STATEMENT) {
        const batch = memberIds.slice(start, start + ROWS_PER_STATEMENT);
        await this.#run(
          Q.insertRoomAgentsShape(batch.length),
          batch.flatMap((memberId, index) => [accountKey, roomId, first + start + index, memberId]),
        );
      }
    });
  }

  deleteRooms(accountKey: string): Promise<number> {
    return this.#guard(async () => {
      await this.#run(Q.DELETE_ROOM_AGENTS, [accountKey]);
      return this.#affected(Q.DELETE_ROOMS, [accountKey]);
    });
  }

  // Bots

  findBot(botId: string): Promise<BotRecord | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<Selectable<BotTable>>(Q.FIND_BOT, [this.#domainId, botId]);
      return row ? rowToBot(row) : null;
    });
  }

  insertBot(bot: BotRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#once(upsertQuery(this.#db, this.#caps, 'cx_bots', botToRow(this.#domainId, bot), ['domain_id', 'bot_id']));
    });
  }

  listBots(accountKey?: string): Promise<BotRecord[]> {
    return this.#guard(async () => {
      const rows =
        accountKey === undefined
          ? await this.#rows<Selectable<BotTable>>(Q.LIST_BOTS, [this.#domainId])
          : await this.#rows<Selectable<BotTable>>(Q.LIST_BOTS_OF_ACCOUNT, [this.#domainId, accountKey]);
      // JavaScript order, as the memory store sorts: the database's collation may differ.
      return rows.map(rowToBot).sort((a, b) => (a.botId < b.botId ? -1 : a.botId > b.botId ? 1 : 0));
    });
  }

  attachBot(botId: string, accountKey: string, accountId: string): Promise<void> {
    return this.#guard(async () => {
      const updated = await this.#affected(Q.ATTACH_BOT, [accountKey, accountId, this.#domainId, botId]);
      if (updated === 0) throw new Error(`no bot ${botId}`);
    });
  }

  deleteBot(botId: string): Promise<void> {
    return this.#guard(async () => {
      await this.#run(Q.DELETE_BOT, [this.#domainId, botId]);
    });
  }

  resetBots(accountKey: string): Promise<{ deleted: number; kept: number }> {
    return this.#guard(async () => {
      const deleted = await this.#affected(Q.DELETE_ADMIN_BOTS, [accountKey]);
      const kept = await this.#affected(Q.DETACH_BOTS, [accountKey]);
      return { deleted, kept };
    });
  }

  // History

  appendHistory(entry: HistoryRecord): Promise<void> {
    return this.#guard(async () => {
      const row = historyToRow(this.#domainId, entry);
      await this.#run(
        Q.APPEND_HISTORY,
        HISTORY_COLUMNS.map((column) => row[column]),
      );
    });
  }

  readHistory(filter: HistoryFilter, after: HistoryPosition | null, limit: number): Promise<HistoryRow[]> {
    return this.#guard(async () => {
      const accounts = new Map<string, AccountInfo>();
      const keys = await this.#keysOfFilter(filter, accounts);
      if (keys && keys.length === 0) return [];
      const { shape, args } = this.#historyQuery(false, filter, keys ?? [], after);
      args.push(limit);
      // Arrays of values on SQLite (no object per row: a backup reads a million), objects elsewhere.
      const rows = (await this.#queries.runRowArrays(this.#connection, shape, args)).rows as (HistoryReadRow | HistoryReadValues)[];
      const accountKeys = rows.map(historyRowAccountKey);
      const info = await this.#accountInfoOf(accountKeys, accounts);
      return rows.map((row, index) => {
        const account = info.get(accountKeys[index]!)!;
        return historyRowOf(row, account.id, account.timeZone);
      });
    });
  }

  countHistory(filter: HistoryFilter): Promise<number> {
    return this.#guard(async () => {
      const keys = await this.#keysOfFilter(filter, new Map());
      if (keys && keys.length === 0) return 0;
      const { shape, args } = this.#historyQuery(true, filter, keys ?? [], null);
      const [row] = await this.#rows<{ count: Numeric }>(shape, args);
      return row ? toNumber(row.count) : 0;
    });
  }

  // Receipts

  findReceipt(accountKey: string, direction: MessageDirection, messageId: string): Promise<ReceiptRecord | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<Selectable<ReceiptTable>>(Q.FIND_RECEIPT, [accountKey, direction, messageId]);
      return row ? rowToReceipt(row) : null;
    });
  }

  putReceipt(receipt: ReceiptRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#run(Q.INSERT_RECEIPT, [
        receipt.accountKey,
        receipt.direction,
        receipt.messageId,
        receipt.customerId,
        receipt.message,
        JSON.stringify(receipt.answer ?? null),
        toMillis(receipt.at),
      ]);
    });
  }

  // Events

  /** How many events this transaction appended (a commit with none wakes no subscriber). */
  appendedEvents = 0;

  appendEvents(events: readonly EventDraft[]): Promise<number[]> {
    return this.#guard(async () => {
      if (events.length === 0) return [];
      this.appendedEvents += events.length;
      // The domain's row is locked (or the database is), so no other writer moves last_seq
      // before this transaction ends: the numbers are gap-free and in commit order, and a
      // rollback takes them back with the events.
      let last: number;
      if (this.#caps.returning) {
        const [row] = await this.#rows<{ last_seq: Numeric }>(Q.ADVANCE_LAST_SEQ_RETURNING, [this.#domainId, events.length]);
        last = toNumber(row!.last_seq);
      } else {
        await this.#run(Q.ADVANCE_LAST_SEQ, [this.#domainId, events.length, events.length]);
        const [row] = await this.#rows<{ last_seq: Numeric }>(Q.LAST_SEQ, [this.#domainId]);
        last = toNumber(row!.last_seq);
      }
      const first = last - events.length + 1;
      const seqs: number[] = [];
      for (let start = 0; start < events.length; start += EVENTS_PER_STATEMENT) {
        const end = Math.min(events.length, start + EVENTS_PER_STATEMENT);
        const values: unknown[] = [];
        for (let index = start; index < end; index++) {
          seqs.push(first + index);
          pushEventValues(values, this.#domainId, first + index, events[index]!);
        }
        await this.#run(Q.insertEventsShape(end - start), values);
      }
      return seqs;
    });
  }

  readEvents(after: number, limit: number): Promise<EventRecord[]> {
    return this.#guard(async () => (await this.#rows<Selectable<EventTable>>(Q.READ_EVENTS, [this.#domainId, after, limit])).map(rowToEvent));
  }

  lastEventSeq(): Promise<number> {
    return this.#guard(async () => {
      const [row] = await this.#rows<{ last_seq: Numeric }>(Q.LAST_SEQ, [this.#domainId]);
      return row ? toNumber(row.last_seq) : 0;
    });
  }

  // Backup jobs

  insertBackupJob(job: BackupJobRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#once(upsertQuery(this.#db, this.#caps, 'cx_backup_jobs', backupJobToRow(this.#domainId, job), ['domain_id', 'job_id']));
    });
  }

  getBackupJob(jobId: string): Promise<BackupJobRecord | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<Selectable<BackupJobTable>>(Q.GET_BACKUP_JOB, [this.#domainId, jobId]);
      return row ? rowToBackupJob(row) : null;
    });
  }

  claimBackupJob(jobId: string, { attempt, at, watermark }: BackupClaim): Promise<void> {
    const started = toMillis(at);
    return this.#changeJob(jobId, {
      status: 'running', attempt, started_at: started, heartbeat_at: started, watermark,
      ready_at: null, failure_reason: null, byte_length: null, rows_done: 0, rows_total: null,
    });
  }

  recordBackupProgress(jobId: string, { heartbeatAt, rowsDone, rowsTotal }: BackupProgress): Promise<void> {
    return this.#changeJob(jobId, {
      ...(heartbeatAt !== undefined ? { heartbeat_at: toMillis(heartbeatAt) } : {}),
      ...(rowsDone !== undefined ? { rows_done: rowsDone } : {}),
      ...(rowsTotal !== undefined ? { rows_total: rowsTotal } : {}),
    });
  }

  markBackupReady(jobId: string, { at, byteLength, rows }: BackupReady): Promise<void> {
    const ready = toMillis(at);
    return this.#changeJob(jobId, { status: 'ready', ready_at: ready, heartbeat_at: ready, byte_length: byteLength, rows_done: rows, rows_total: rows });
  }

  markBackupFailed(jobId: string, reason: string, at: Date): Promise<void> {
    return this.#changeJob(jobId, { status: 'failed', failure_reason: reason, heartbeat_at: toMillis(at) });
  }

  cancelBackupJob(jobId: string): Promise<void> {
    return this.#changeJob(jobId, { status: 'cancelled', ready_at: null, byte_length: null, failure_reason: null });
  }

  requeueBackupJob(jobId: string): Promise<void> {
    return this.#changeJob(jobId, { status: 'pending', started_at: null, heartbeat_at: null, byte_length: null, rows_done: 0, rows_total: null });
  }

  /** One UPDATE of a job's row of the domain; rejects when there is none. */
  #changeJob(jobId: string, changes: Updateable<BackupJobTable>): Promise<void> {
    return this.#guard(async () => {
      if (Object.keys(changes).length === 0) {
        if ((await this.#rows(Q.GET_BACKUP_JOB, [this.#domainId, jobId])).length === 0) throw new Error(`no backup job ${jobId}`);
        return;
      }
      const result = await this.#once(this.#db.updateTable('cx_backup_jobs').set(changes).where('domain_id', '=', this.#domainId).where('job_id', '=', jobId));
      if (Number(result.numAffectedRows ?? 0) === 0) throw new Error(`no backup job ${jobId}`);
    });
  }

  deleteBackupJob(jobId: string): Promise<void> {
    return this.#guard(async () => {
      await this.#run(Q.DELETE_BACKUP_JOB, [this.#domainId, jobId]);
    });
  }

  listBackupJobs(statuses: readonly BackupStatus[]): Promise<BackupJobRecord[]> {
    return this.#guard(async () => {
      if (statuses.length === 0) return [];
      return (await this.#rows<Selectable<BackupJobTable>>(Q.backupJobsWithStatusShape(statuses.length), [this.#domainId, ...statuses])).map(rowToBackupJob);
    });
  }

  deleteBackupFiles(fileIds: readonly string[]): Promise<void> {
    return this.#guard(async () => {
      for (const fileId of fileIds) await this.#run(Q.DELETE_BACKUP_FILE, [this.#domainId, fileId]);
    });
  }

  // Helpers

  // Webhooks (R53, R54): plain statements of their own file, through this transaction's guard.
  webhooks(): WebhookTransaction {
    return sqlWebhookTransaction(this.#db, this.#domainId, (query) => this.#guard(() => this.#once(query)));
  }

  /** `Store.recordWebhookDelivery`'s work; the store runs it in a transaction without the domain's lock. */
  recordWebhookDelivery(endpointId: string, leaseToken: string, state: WebhookDeliveryState, attempt: WebhookAttemptRecord | null): Promise<boolean> {
    return this.#guard(async () => {
      if ((await this.#affected(UPDATE_HELD_ENDPOINT, heldEndpointArguments(this.#domainId, endpointId, leaseToken, state))) === 0) {
        // MySQL counts changed rows only: an update that changed nothing may still have matched.
        if ((await this.#rows(FIND_HELD_ENDPOINT, [this.#domainId, endpointId, leaseToken])).length === 0) return false;
      }
      if (attempt) await this.#run(INSERT_ATTEMPT, attemptArguments(this.#domainId, { ...attempt, endpointId }));
      return true;
    });
  }

  #guard<T>(body: () => Promise<T>): Promise<T> {
    // Not an async function: one promise fewer per call, on every statement's way.
    try {
      return body().then(undefined, this.#recordFailure);
    } catch (error) {
      return Promise.reject(this.#recordFailure(error));
    }
  }

  /** Records the first failure (the driver's error, for the runner), and throws it on as the store's. */
  readonly #recordFailure = (error: unknown): never => {
    this.#failure ??= { error };
    throw asStoreError(error);
  };

  #run(shape: QueryShape, args: readonly unknown[]): Promise<QueryResult<unknown>> {
    return this.#queries.run(this.#connection, shape, args);
  }

  #rows<R>(shape: QueryShape, args: readonly unknown[]): Promise<R[]> {
    return this.#run(shape, args).then((result) => result.rows as R[]);
  }

  #affected(shape: QueryShape, args: readonly unknown[]): Promise<number> {
    return this.#run(shape, args).then((result) => Number(result.numAffectedRows ?? 0));
  }

  #once(query: Compilable<unknown>): Promise<QueryResult<unknown>> {
    return this.#queries.once(this.#connection, query);
  }

  /**
   * One UPDATE of an active account's row: `changes`, what was held back for it, and its
   * version (kept as it is when `version` is undefined and none was held back).
   */
  async #writeAccountRow(accountKey: string, changes: [string, unknown][], version: number | undefined): Promise<void> {
    const pending = this.#held.take(accountKey);
    const columns = [...changes];
    if (pending?.agentCount !== undefined) columns.push(['agent_count', pending.agentCount]);
    const nextVersion = version ?? pending?.version;
    if (nextVersion !== undefined) columns.push(['version', nextVersion]);
    if (columns.length === 0) return;
    const updated = await this.#affected(Q.patchAccountShape(columns.map(([column]) => column)), [
      ...columns.map(([, value]) => value),
      accountKey,
      this.#domainId,
    ]);
    if (updated === 0) throw new Error(`no active account with key ${accountKey}`);
  }

  /** Writes every account row change held back. */
  async #flushPending(): Promise<void> {
    for (const accountKey of this.#held.heldKeys()) await this.#writeAccountRow(accountKey, [], undefined);
  }

  /**
   * The keys of the accounts of the filter's IDs (active or reset), or `null` without that
   * filter; `accounts` takes their IDs and time zones, for the rows read next.
   */
  async #keysOfFilter(filter: HistoryFilter, accounts: Map<string, AccountInfo>): Promise<string[] | null> {
    if (filter.accountIds === undefined) return null;
    const ids = [...new Set(filter.accountIds.map((id) => id.toLowerCase()))];
    const keys: string[] = [];
    for (let start = 0; start < ids.length; start += ROWS_PER_STATEMENT) {
      const batch = ids.slice(start, start + ROWS_PER_STATEMENT);
      const rows = await this.#rows<{ key: string; id: string; settings: string }>(Q.accountsWithIdsShape(batch.length), [this.#domainId, ...batch]);
      for (const row of rows) {
        accounts.set(row.key, this.#accountInfoOfRow(row));
        keys.push(row.key);
      }
    }
    return keys.sort();
  }

  /** The history query of a filter: its shape and its arguments but the limit. */
  #historyQuery(count: boolean, filter: HistoryFilter, keys: readonly string[], after: HistoryPosition | null) {
    const options: Q.HistoryShapeOptions = {
      keys: keys.length,
      customer: filter.customerId !== undefined,
      from: filter.from !== undefined,
      to: filter.to !== undefined,
      upTo: filter.upToEventSeq !== undefined,
      after: after !== null,
      afterSeq: after?.eventSeq !== undefined,
    };
    const args: unknown[] = [this.#domainId, ...keys];
    if (filter.customerId !== undefined) args.push(filter.customerId);
    if (filter.from !== undefined) args.push(toMillis(filter.from));
    if (filter.to !== undefined) args.push(toMillis(filter.to));
    if (filter.upToEventSeq !== undefined) args.push(filter.upToEventSeq);
    if (after) args.push(toMillis(after.sentAt), after.messageId);
    if (after?.eventSeq !== undefined) args.push(after.eventSeq);
    return { shape: Q.historyShape(count, options), args };
  }

  #accountInfoOfRow(row: { key: string; id: string; settings: string }): AccountInfo {
    return { id: row.id, timeZone: timeZoneOfSettings(this.#memos.settingsOf(row.key, row.settings)) };
  }

  /** ID and time zone of the accounts of the domain with these keys: `known` ones, and the others read in batches. */
  async #accountInfoOf(accountKeys: readonly string[], known: Map<string, AccountInfo>): Promise<Map<string, AccountInfo>> {
    const missing = [...new Set(accountKeys)].filter((key) => !known.has(key));
    for (let start = 0; start < missing.length; start += ROWS_PER_STATEMENT) {
      const batch = missing.slice(start, start + ROWS_PER_STATEMENT);
      const rows = await this.#rows<{ key: string; id: string; settings: string }>(Q.accountsWithKeysShape(batch.length), [this.#domainId, ...batch]);
      for (const row of rows) known.set(row.key, this.#accountInfoOfRow(row));
    }
    for (const key of accountKeys) {
      if (!known.has(key)) throw new Error(`history of an account that is not stored: ${key}`);
    }
    return known;
  }

  /** Reads an account's agents (callers look in `#agents` first: no promise for what is known). */
  async #loadAgents(accountKey: string): Promise<StoredAgents> {
    const rows = await this.#rows<{ member_id: string; position: Numeric }>(Q.ACCOUNT_AGENTS, [accountKey]);
    const last = rows[rows.length - 1];
    const stored = { ids: rows.map((row) => row.member_id), nextPosition: last ? toNumber(last.position) + 1 : 0 };
    this.#agents.set(accountKey, stored);
    return stored;
  }

  async #insertAgents(accountKey: string, memberIds: readonly string[], firstPosition: number): Promise<void> {
    // In batches, so that no statement nears a database's limit on bound parameters.
    for (let start = 0; start < memberIds.length; start += ROWS_PER_STATEMENT) {
      const end = Math.min(memberIds.length, start + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      for (let index = start; index < end; index++) values.push(accountKey, memberIds[index], firstPosition + index);
      await this.#run(Q.insertAgentsShape(end - start), values);
    }
  }

  async #deleteAgents(accountKey: string, memberIds: readonly string[]): Promise<void> {
    for (let start = 0; start < memberIds.length; start += ROWS_PER_STATEMENT) {
      const batch = memberIds.slice(start, start + ROWS_PER_STATEMENT);
      await this.#run(Q.deleteAgentsShape(batch.length), [accountKey, ...batch]);
    }
  }

  async #writeImage(accountKey: string, data: Uint8Array | null): Promise<void> {
    await this.#run(Q.DELETE_IMAGE, [accountKey]);
    if (data === null) return;
    // One statement per part: a part is up to 1 MiB, and MySQL limits a packet's size.
    for (const [index, part] of splitParts(data).entries()) {
      await this.#run(Q.INSERT_IMAGE_PART, [accountKey, index, toDriverBytes(part)]);
    }
  }
}

import type { Compilable, DatabaseConnection, Kysely, QueryResult, Selectable } from 'kysely';
import type {
  AccountListPosition,
  AccountListRow,
  AccountRecord,
  BackupJobRecord,
  BotRecord,
  ContactRecord,
  HistoryRecord,
  ProductRecord,
  RoomRecord,
} from '../../src/ports/records.js';
import type { ProductUsage, StoreTransaction } from '../../src/ports/store.js';
import { joinParts, splitParts } from './binary-parts.js';
import type { AccountTable, BackupJobTable, BotTable, ContactTable, CxDatabase, ProductTable, RoomTable } from './cx-database.js';
import { nameKeyHash } from './name-key-hash.js';
import type { PreparedQueries, QueryShape } from './prepared-queries.js';
import {
  ACCOUNT_CHANGE_COLUMNS,
  ACCOUNT_INSERT_COLUMNS,
  accountChangeColumns,
  accountToRow,
  backupJobToRow,
  botToRow,
  contactToRow,
  historyToRow,
  productToRow,
  rowToAccount,
  rowToBackupJob,
  rowToBot,
  rowToContact,
  rowToProduct,
} from './record-rows.js';
import { toDate, toDriverBytes, toMillis, toNumber } from './row-values.js';
import type { SqlCapabilities } from './sql-dialect.js';
import * as Q from './store-queries.js';
import { upsertQuery } from './upsert.js';

/** The agents of an account as stored: in order, and the next free position. */
type StoredAgents = { ids: string[]; nextPosition: number };

type Numeric = number | string | bigint;

/** Most rows one multi-row statement writes (or values one IN list holds). */
const ROWS_PER_STATEMENT = 1000;

/**
 * The repository of one SQL transaction, bound to one driver connection and one domain.
 * Queries are built with `db` (which never runs them) and run on `connection`, most of them
 * from prepared shapes (`store-queries.ts`).
 *
 * It remembers the products, agent lists and name hashes it read or wrote: every write of
 * the domain goes through it (the domain is locked), so they cannot change underneath, and a
 * change of agents costs no extra read.
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
  readonly #products = new Map<string, ProductRecord | null>();
  readonly #agents = new Map<string, StoredAgents>();
  readonly #nameHashes = new Map<string, { nameKey: string; hash: string }>();
  #failure: { error: unknown } | null = null;

  constructor(connection: DatabaseConnection, db: Kysely<CxDatabase>, caps: SqlCapabilities, queries: PreparedQueries, domainId: string) {
    this.#connection = connection;
    this.#db = db;
    this.#caps = caps;
    this.#queries = queries;
    this.#domainId = domainId;
  }

  /** The first error a method rejected with, or `null`. Once set, the transaction must not commit. */
  failure(): { error: unknown } | null {
    return this.#failure;
  }

  // Products

  getProduct(productId: string): Promise<ProductRecord | null> {
    return this.#guard(async () => {
      if (!this.#products.has(productId)) {
        const [row] = await this.#rows<Selectable<ProductTable>>(Q.GET_PRODUCT, [this.#domainId, productId]);
        this.#products.set(productId, row ? rowToProduct(row) : null);
      }
      const product = this.#products.get(productId);
      return product ? { ...product } : null;
    });
  }

  listProducts(): Promise<ProductRecord[]> {
    return this.#guard(async () => {
      const list = (await this.#rows<Selectable<ProductTable>>(Q.LIST_PRODUCTS, [this.#domainId])).map(rowToProduct);
      for (const product of list) this.#products.set(product.productId, { ...product });
      // JavaScript order, as the memory store sorts: the database's collation may differ.
      return list.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    });
  }

  putProduct(product: ProductRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#once(upsertQuery(this.#db, this.#caps, 'cx_products', productToRow(this.#domainId, product), ['domain_id', 'product_id']));
      this.#products.set(product.productId, { ...product });
    });
  }

  productUsage(): Promise<Map<string, ProductUsage>> {
    return this.#guard(async () => {
      const rows = await this.#rows<{ product_id: string; in_use: Numeric; max_agents: Numeric }>(Q.PRODUCT_USAGE, [this.#domainId]);
      return new Map(rows.map((row) => [row.product_id, { inUse: toNumber(row.in_use), maxAgents: toNumber(row.max_agents) }]));
    });
  }

  // Accounts

  findAccount(accountId: string): Promise<AccountRecord | null> {
    return this.#guard(async () => {
      const [row] = await this.#rows<Selectable<AccountTable>>(Q.FIND_ACCOUNT, [accountId, this.#domainId]);
      if (!row) return null;
      if (row.active_name_hash !== null) this.#nameHashes.set(row.key, { nameKey: row.name_key, hash: row.active_name_hash });
      const agents = await this.#loadAgents(row.key);
      return rowToAccount(row, [...agents.ids]);
    });
  }

  isAccountIdActive(accountId: string): Promise<boolean> {
    return this.#guard(async () => (await this.#rows(Q.IS_ACCOUNT_ID_ACTIVE, [accountId])).length > 0);
  }

  isAccountNameActive(nameKey: string, exceptKey?: string): Promise<boolean> {
    return this.#guard(async () => {
      const [row] = await this.#rows<{ key: string }>(Q.ACCOUNT_WITH_NAME, [this.#domainId, nameKeyHash(nameKey)]);
      return row !== undefined && row.key !== exceptKey;
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
      if (imageData) await this.#writeImage(account.key, imageData);
    });
  }

  updateAccount(account: AccountRecord, imageData?: Uint8Array | null): Promise<void> {
    return this.#guard(async () => {
      const changes = accountChangeColumns(account, account.resetAt === null ? this.#nameHashOf(account.key, account.nameKey) : null);
      const updated = await this.#affected(Q.UPDATE_ACCOUNT, [
        ...ACCOUNT_CHANGE_COLUMNS.map((column) => changes[column]),
        account.key,
        this.#domainId,
      ]);
      if (updated === 0) throw new Error(`no account with key ${account.key}`);
      await this.#writeAgents(account.key, account.agentIds);
      if (imageData !== undefined) await this.#writeImage(account.key, imageData);
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

  putContact(contact: ContactRecord): Promise<void> {
    return this.#guard(async () => {
      await this.#once(upsertQuery(this.#db, this.#caps, 'cx_contacts', contactToRow(contact), ['account_key', 'customer_id']));
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
        kind: room.kind as RoomRecord['kind'],
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
      const row = historyToRow(entry);
      await this.#run(Q.APPEND_HISTORY, [row.account_key, row.customer_id, row.customer_name, row.sent_at, row.sender_kind, row.sender_name, row.content]);
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

  updateBackupJob(job: BackupJobRecord): Promise<void> {
    return this.#guard(async () => {
      const { domain_id: _domain, job_id: _job, requested_at: _requested, ...changes } = backupJobToRow(this.#domainId, job);
      const result = await this.#once(
        this.#db.updateTable('cx_backup_jobs').set(changes).where('domain_id', '=', this.#domainId).where('job_id', '=', job.jobId),
      );
      if (Number(result.numAffectedRows ?? 0) === 0) throw new Error(`no backup job ${job.jobId}`);
    });
  }

  deleteBackupJob(jobId: string): Promise<void> {
    return this.#guard(async () => {
      await this.#run(Q.DELETE_BACKUP_JOB, [this.#domainId, jobId]);
    });
  }

  // Helpers

  async #guard<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      this.#failure ??= { error };
      throw error;
    }
  }

  #run(shape: QueryShape, args: readonly unknown[]): Promise<QueryResult<unknown>> {
    return this.#queries.run(this.#connection, shape, args);
  }

  async #rows<R>(shape: QueryShape, args: readonly unknown[]): Promise<R[]> {
    return (await this.#run(shape, args)).rows as R[];
  }

  async #affected(shape: QueryShape, args: readonly unknown[]): Promise<number> {
    return Number((await this.#run(shape, args)).numAffectedRows ?? 0);
  }

  #once(query: Compilable<unknown>): Promise<QueryResult<unknown>> {
    return this.#queries.once(this.#connection, query);
  }

  /** The hash of a name key, from the row read earlier when the name did not change. */
  #nameHashOf(accountKey: string, nameKey: string): string {
    const known = this.#nameHashes.get(accountKey);
    return known && known.nameKey === nameKey ? known.hash : nameKeyHash(nameKey);
  }

  async #loadAgents(accountKey: string): Promise<StoredAgents> {
    const cached = this.#agents.get(accountKey);
    if (cached) return cached;
    const rows = await this.#rows<{ member_id: string; position: Numeric }>(Q.ACCOUNT_AGENTS, [accountKey]);
    const last = rows[rows.length - 1];
    const stored = { ids: rows.map((row) => row.member_id), nextPosition: last ? toNumber(last.position) + 1 : 0 };
    this.#agents.set(accountKey, stored);
    return stored;
  }

  async #insertAgents(accountKey: string, memberIds: readonly string[], firstPosition: number): Promise<void> {
    // In batches, so that no statement nears a database's limit on bound parameters.
    for (let start = 0; start < memberIds.length; start += ROWS_PER_STATEMENT) {
      const batch = memberIds.slice(start, start + ROWS_PER_STATEMENT);
      await this.#run(
        Q.insertAgentsShape(batch.length),
        batch.flatMap((memberId, index) => [accountKey, memberId, firstPosition + start + index]),
      );
    }
  }

  async #deleteAgents(accountKey: string, memberIds: readonly string[]): Promise<void> {
    for (let start = 0; start < memberIds.length; start += ROWS_PER_STATEMENT) {
      const batch = memberIds.slice(start, start + ROWS_PER_STATEMENT);
      await this.#run(Q.deleteAgentsShape(batch.length), [accountKey, ...batch]);
    }
  }

  /** Brings the stored agents of an account to `next`, with as few statements as the change needs. */
  async #writeAgents(accountKey: string, next: readonly string[]): Promise<void> {
    const stored = await this.#loadAgents(accountKey);
    const previous = stored.ids;
    if (previous.length === next.length && previous.every((id, index) => id === next[index])) return;
    const nextSet = new Set(next);
    const previousSet = new Set(previous);
    const kept = previous.filter((id) => nextSet.has(id));
    const appended = next.slice(kept.length);
    const isRemoveAndAppend = kept.every((id, index) => next[index] === id) && appended.every((id) => !previousSet.has(id));
    if (isRemoveAndAppend) {
      const removed = previous.filter((id) => !nextSet.has(id));
      await this.#deleteAgents(accountKey, removed);
      await this.#insertAgents(accountKey, appended, stored.nextPosition);
      this.#agents.set(accountKey, { ids: [...next], nextPosition: stored.nextPosition + appended.length });
    } else {
      // Any other change (a reorder): rewrite the list.
      await this.#run(Q.DELETE_ALL_AGENTS, [accountKey]);
      await this.#insertAgents(accountKey, next, 0);
      this.#agents.set(accountKey, { ids: [...next], nextPosition: next.length });
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

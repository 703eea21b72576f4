import { err, type Result } from 'neverthrow';
import type { CxError } from '../../src/errors.js';
import { StoreError, storeFailureOf } from '../../src/ports/store-error.js';
import type {
  AccountListPosition,
  AccountListRow,
  AccountRecord,
  BackupJobRecord,
  BotRecord,
  ContactRecord,
  EventRecord,
  HistoryFilter,
  HistoryPosition,
  HistoryRecord,
  ProductRecord,
  ReceiptRecord,
  RoomRecord,
} from '../../src/ports/records.js';
import type { ProductUsage, Store, StoreTransaction, TransactionMode } from '../../src/ports/store.js';
import { serialQueue } from '../../src/internal/serial-queue.js';
import { eventWatchers } from '../../src/internal/event-watchers.js';
import { memoryDueEndpoints, memoryWebhookState, memoryWebhookTransaction, recordMemoryDelivery } from './memory-webhooks.js';

type Undo = () => void;

/** Everything the memory store holds. Records are stored as private copies. */
type MemoryState = {
  products: Map<string, Map<string, ProductRecord>>;
  accounts: Map<string, AccountRecord>;
  /** Lower-cased active account ID → key, across domains (R6: IDs compare case-insensitively). */
  activeById: Map<string, string>;
  /** `domainId \0 nameKey` → key of the active account with that name (R5). */
  activeByName: Map<string, string>;
  /** Per domain, the keys of active accounts sorted by (activatedAt, id), for keyset paging. */
  activeOrder: Map<string, string[]>;
  /** Per domain, the keys of every account ever created, in creation order. */
  allAccounts: Map<string, string[]>;
  images: Map<string, Uint8Array>;
  contacts: Map<string, ContactRecord>;
  rooms: Map<string, RoomRecord[]>;
  bots: Map<string, BotRecord>;
  history: Map<string, HistoryRecord[]>;
  /** Per domain, its messages in (sentAt, messageId) order: built on a read, dropped on any change. */
  historyOrder: Map<string, HistoryRecord[]>;
  backupJobs: Map<string, BackupJobRecord>;
  backupChunks: Map<string, Uint8Array[]>;
  /** Per domain, its events in `seq` order (`seq` = index + 1). */
  events: Map<string, EventRecord[]>;
  receipts: Map<string, ReceiptRecord>;
};

const pair = (a: string, b: string) => `${a}\u0000${b}`;
/** Account IDs compare case-insensitively (R6); they are ASCII, so lower-casing is exact. */
const idKey = (accountId: string) => accountId.toLowerCase();
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const copy = <T>(value: T): T => structuredClone(value);

function compareListPosition(a: AccountListPosition, b: AccountListPosition): number {
  const byTime = a.activatedAt.getTime() - b.activatedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A store that keeps everything in the process's memory: for tests, demos and as the
 * reference the SQL stores are checked against.
 *
 * Transactions are real: they run one at a time, and a transaction whose work answers an
 * error (or throws) is rolled back through an undo log, so a failed call changes nothing.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { memoryStore, memoryDirectory } from 'cx-accounts/memory';
 *
 * const cx = createCxAccounts({
 *   store: memoryStore(),
 *   directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
 *   contactUrlBase: 'https://talk.example.com/add/',
 * });
 * ```
 *
 * @category Stores
 */
export function memoryStore(): Store {
  const state: MemoryState = {
    products: new Map(),
    accounts: new Map(),
    activeById: new Map(),
    activeByName: new Map(),
    activeOrder: new Map(),
    allAccounts: new Map(),
    images: new Map(),
    contacts: new Map(),
    rooms: new Map(),
    bots: new Map(),
    history: new Map(),
    historyOrder: new Map(),
    backupJobs: new Map(),
    backupChunks: new Map(),
    events: new Map(),
    receipts: new Map(),
  };
  const serialise = serialQueue();
  const watchers = eventWatchers();
  const webhooks = memoryWebhookState();

  return {
    watchEvents: (domainId, watcher) => watchers.watch(domainId, watcher),

    async listDueWebhookEndpoints(now, limit) {
      return memoryDueEndpoints(webhooks, (domainId) => state.events.get(domainId)?.length ?? 0, now, limit);
    },

    // In the store's one queue, like a transaction: nothing of a transaction runs in between.
    recordWebhookDelivery: (domainId, endpointId, leaseToken, delivery, attempt) =>
      serialise(async () => recordMemoryDelivery(webhooks, domainId, endpointId, leaseToken, delivery, attempt)),

    transaction<T>(
      domainId: string,
      mode: TransactionMode,
      work: (tx: StoreTransaction) => PromiseLike<Result<T, CxError>>,
    ): Promise<Result<T, CxError>> {
      return serialise(async () => {
        const undo: Undo[] = [];
        const rollback = () => {
          for (let index = undo.length - 1; index >= 0; index--) undo[index]!();
        };
        try {
          const tx = memoryTransaction(state, domainId, undo);
          tx.webhooks = () => memoryWebhookTransaction(webhooks, domainId, undo);
          const eventsBefore = state.events.get(domainId)?.length ?? 0;
          const result = await work(tx);
          if (result.isErr()) rollback();
          // Only a commit that appended events wakes subscribers (not a delivery runner's lease).
          else if (mode === 'write' && (state.events.get(domainId)?.length ?? 0) !== eventsBefore) watchers.wake(domainId);
          return result;
        } catch (cause) {
          rollback();
          return err(storeFailureOf(cause));
        }
      });
    },

    appendBackupChunk(domainId, fileId, seq, data, lease) {
      // Behind the transactions, so a lease is checked against committed jobs only.
      return serialise(async () => {
        if (lease) {
          const job = state.backupJobs.get(pair(domainId, lease.jobId));
          if (!job || job.status !== 'running' || job.attempt !== lease.attempt) return false;
        }
        const chunks = state.backupChunks.get(pair(domainId, fileId)) ?? [];
        chunks[seq] = data.slice();
        state.backupChunks.set(pair(domainId, fileId), chunks);
        return true;
      });
    },

    async *readBackupChunks(domainId, jobId) {
      for (const chunk of state.backupChunks.get(pair(domainId, jobId)) ?? []) yield chunk.slice();
    },

    async deleteBackupChunks(domainId, jobId) {
      state.backupChunks.delete(pair(domainId, jobId));
    },

    async listRunnableBackupJobs(staleBefore, limit) {
      return oldestBackupJobs(state, limit, (job) =>
        job.status === 'pending' ||
        (job.status === 'running' && (job.heartbeatAt === null || job.heartbeatAt < staleBefore)),
      );
    },

    async listExpiredBackupJobs(before, limit) {
      return oldestBackupJobs(state, limit, (job) =>
        (job.status === 'ready' && job.readyAt !== null && job.readyAt < before) ||
        ((job.status === 'failed' || job.status === 'cancelled') && job.requestedAt < before),
      );
    },
  };
}

/** Copies of the backup jobs of any domain that `matches`, oldest `requestedAt` first (ties by id). */
function oldestBackupJobs(state: MemoryState, limit: number, matches: (job: BackupJobRecord) => boolean): BackupJobRecord[] {
  return [...state.backupJobs.values()]
    .filter(matches)
    .sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime() || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0))
    .slice(0, limit)
    .map(copy);
}

/** Sets `map[key]`, remembering how to undo it. */
function setIn<K, V>(map: Map<K, V>, key: K, value: V, undo: Undo[]): void {
  const had = map.has(key);
  const previous = map.get(key);
  map.set(key, value);
  undo.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
}

/** Deletes `map[key]`, remembering how to undo it. */
function deleteIn<K, V>(map: Map<K, V>, key: K, undo: Undo[]): void {
  if (!map.has(key)) return;
  const previous = map.get(key) as V;
  map.delete(key);
  undo.push(() => map.set(key, previous));
}

function memoryTransaction(state: MemoryState, domainId: string, undo: Undo[]): StoreTransaction {
  const orderOf = (domain: string): string[] => {
    let order = state.activeOrder.get(domain);
    if (!order) {
      order = [];
      setIn(state.activeOrder, domain, order, undo);
    }
    return order;
  };
  const position = (key: string): AccountListPosition => {
    const account = state.accounts.get(key)!;
    return { activatedAt: account.activatedAt, id: account.id };
  };
  /** Index of the first key in `order` whose position is after `after` (binary search). */
  const firstAfter = (order: string[], after: AccountListPosition): number => {
    let low = 0;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareListPosition(position(order[middle]!), after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  const indexActive = (account: AccountRecord) => {
    setIn(state.activeById, idKey(account.id), account.key, undo);
    setIn(state.activeByName, pair(account.domainId, account.nameKey), account.key, undo);
    const order = orderOf(account.domainId);
    const at = firstAfter(order, account);
    order.splice(at, 0, account.key);
    undo.push(() => order.splice(order.indexOf(account.key), 1));
  };
  const unindexActive = (account: AccountRecord) => {
    if (state.activeById.get(idKey(account.id)) === account.key) deleteIn(state.activeById, idKey(account.id), undo);
    const nameKey = pair(account.domainId, account.nameKey);
    if (state.activeByName.get(nameKey) === account.key) deleteIn(state.activeByName, nameKey, undo);
    const order = orderOf(account.domainId);
    const at = order.indexOf(account.key);
    if (at >= 0) {
      order.splice(at, 1);
      undo.push(() => order.splice(at, 0, account.key));
    }
  };
  const activeAccount = (key: string | undefined): AccountRecord | undefined => {
    if (key === undefined) return undefined;
    const account = state.accounts.get(key);
    return account && account.resetAt === null && account.domainId === domainId ? account : undefined;
  };
  const accountOfDomainOrNull = (key: string): AccountRecord | null => {
    const account = state.accounts.get(key);
    return account && account.domainId === domainId ? account : null;
  };
  const accountOfDomain = (key: string): AccountRecord => {
    const account = accountOfDomainOrNull(key);
    if (!account) throw new StoreError(`no account with key ${key}`);
    return account;
  };
  /** Sets fields of a backup job of the domain (never its domain, id or `requestedAt`). */
  const changeJob = (jobId: string, fields: Partial<Omit<BackupJobRecord, 'domainId' | 'jobId' | 'requestedAt'>>): void => {
    const current = state.backupJobs.get(pair(domainId, jobId));
    if (!current) throw new StoreError(`no backup job ${jobId}`);
    setIn(state.backupJobs, pair(domainId, jobId), { ...current, ...copy(fields) }, undo);
  };
  /** The domain's messages in (sentAt, messageId, eventSeq) order, so that a keyset page costs what the first does. */
  const historyOrder = (): HistoryRecord[] => {
    let sorted = state.historyOrder.get(domainId);
    if (!sorted) {
      sorted = (state.allAccounts.get(domainId) ?? []).flatMap((key) => state.history.get(key) ?? []);
      sorted.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || compareText(a.messageId, b.messageId) || a.eventSeq - b.eventSeq);
      state.historyOrder.set(domainId, sorted);
    }
    return sorted;
  };
  /** The history of the domain changes (in this transaction, or by its undo): its order is built again. */
  const historyChanged = () => {
    state.historyOrder.delete(domainId);
    undo.push(() => state.historyOrder.delete(domainId));
  };
  /**
   * The messages of the domain that match `filter` and come after `after`, in (sentAt,
   * messageId, eventSeq) order, at most `limit`, as references: callers copy what they answer.
   */
  const matchingHistory = (filter: HistoryFilter, after: HistoryPosition | null, limit = Infinity): { entry: HistoryRecord; account: AccountRecord }[] => {
    const sorted = historyOrder();
    const ids = filter.accountIds ? new Set(filter.accountIds.map(idKey)) : null;
    const from = filter.from?.getTime();
    const to = filter.to?.getTime();
    let index = 0;
    if (after) {
      // First entry after the position (binary search).
      const time = after.sentAt.getTime();
      let high = sorted.length;
      while (index < high) {
        const middle = (index + high) >>> 1;
        const entry = sorted[middle]!;
        // Without `eventSeq`, the position is after every message with its sentAt and messageId.
        const order =
          entry.sentAt.getTime() - time || compareText(entry.messageId, after.messageId) || (after.eventSeq === undefined ? 0 : entry.eventSeq - after.eventSeq);
        if (order <= 0) index = middle + 1;
        else high = middle;
      }
    }
    const rows: { entry: HistoryRecord; account: AccountRecord }[] = [];
    for (; index < sorted.length && rows.length < limit; index++) {
      const entry = sorted[index]!;
      const time = entry.sentAt.getTime();
      if (to !== undefined && time >= to) break;
      if (from !== undefined && time < from) continue;
      if (filter.customerId !== undefined && entry.customerId !== filter.customerId) continue;
      if (filter.upToEventSeq !== undefined && entry.eventSeq > filter.upToEventSeq) continue;
      const account = state.accounts.get(entry.accountKey)!;
      if (ids && !ids.has(idKey(account.id))) continue;
      rows.push({ entry, account });
    }
    return rows;
  };
  const accountsOfDomain = (): AccountRecord[] =>
    (state.activeOrder.get(domainId) ?? []).map((key) => state.accounts.get(key)!);

  return {
    async getProduct(productId) {
      const product = state.products.get(domainId)?.get(productId);
      return product ? copy(product) : null;
    },
    async listProducts() {
      const products = [...(state.products.get(domainId)?.values() ?? [])];
      return copy(products.sort((a, b) => (a.productId < b.productId ? -1 : 1)));
    },
    async setProduct(product) {
      let products = state.products.get(domainId);
      if (!products) {
        products = new Map();
        setIn(state.products, domainId, products, undo);
      }
      setIn(products, product.productId, copy(product), undo);
    },
    async productUsage() {
      const usage = new Map<string, ProductUsage>();
      for (const account of accountsOfDomain()) {
        const current = usage.get(account.productId) ?? { inUse: 0, maxAgents: 0 };
        usage.set(account.productId, {
          inUse: current.inUse + 1,
          maxAgents: Math.max(current.maxAgents, account.agentIds.length),
        });
      }
      return usage;
    },

    async findAccount(accountId) {
      const account = activeAccount(state.activeById.get(idKey(accountId)));
      return account ? copy(account) : null;
    },
    async isAccountIdActive(accountId) {
      return state.activeById.has(idKey(accountId));
    },
    async findAccountByName(nameKey) {
      const key = state.activeByName.get(pair(domainId, nameKey));
      const account = key === undefined ? null : accountOfDomainOrNull(key);
      return account ? { key: account.key, id: account.id } : null;
    },
    async findAccountIdByUid(accountKey) {
      return accountOfDomainOrNull(accountKey)?.id ?? null;
    },
    async insertAccount(account, imageData) {
      if (account.domainId !== domainId) throw new StoreError('account of another domain');
      if (state.accounts.has(account.key)) throw new StoreError(`duplicate account key ${account.key}`);
      if (state.activeById.has(idKey(account.id))) throw new StoreError(`duplicate active account id ${account.id}`);
      const stored = copy(account);
      setIn(state.accounts, account.key, stored, undo);
      const all = state.allAccounts.get(domainId) ?? [];
      if (!state.allAccounts.has(domainId)) setIn(state.allAccounts, domainId, all, undo);
      all.push(account.key);
      undo.push(() => all.pop());
      if (account.resetAt === null) indexActive(stored);
      if (imageData) setIn(state.images, account.key, imageData.slice(), undo);
    },
    async patchAccount(accountKey, patch, version) {
      const current = activeAccount(accountKey);
      if (!current) throw new StoreError(`no active account with key ${accountKey}`);
      const next: AccountRecord = { ...current, ...copy(patch), version };
      unindexActive(current);
      setIn(state.accounts, accountKey, next, undo);
      indexActive(next);
    },
    async setAccountImage(accountKey, image) {
      const current = accountOfDomain(accountKey);
      setIn(state.accounts, accountKey, { ...current, image: image ? copy(image.info) : null }, undo);
      if (image === null) deleteIn(state.images, accountKey, undo);
      else setIn(state.images, accountKey, image.data.slice(), undo);
    },
    async addAgents(accountKey, memberIds) {
      const current = accountOfDomain(accountKey);
      setIn(state.accounts, accountKey, { ...current, agentIds: [...current.agentIds, ...memberIds] }, undo);
    },
    async removeAgents(accountKey, memberIds) {
      const current = accountOfDomain(accountKey);
      const leaving = new Set(memberIds);
      setIn(state.accounts, accountKey, { ...current, agentIds: current.agentIds.filter((id) => !leaving.has(id)) }, undo);
    },
    async markReset(accountKey, resetAt, version) {
      const current = activeAccount(accountKey);
      if (!current) throw new StoreError(`no active account with key ${accountKey}`);
      unindexActive(current);
      setIn(state.accounts, accountKey, { ...current, resetAt: new Date(resetAt), version }, undo);
    },
    async getAccountImage(accountKey) {
      const data = state.images.get(accountKey);
      return data ? data.slice() : null;
    },
    async listAccounts(after, limit) {
      const order = state.activeOrder.get(domainId) ?? [];
      const start = after ? firstAfter(order, after) : 0;
      return order.slice(start, start + limit).map((key): AccountListRow => {
        const account = state.accounts.get(key)!;
        return {
          id: account.id,
          name: account.name,
          productId: account.productId,
          contactUrl: account.contactUrl,
          activatedAt: new Date(account.activatedAt),
          agentCount: account.agentIds.length,
        };
      });
    },
    async activeAccountIdsOfAgent(memberId) {
      return accountsOfDomain()
        .filter((account) => account.agentIds.includes(memberId))
        .map((account) => account.id);
    },

    async findContact(accountKey, customerId) {
      const contact = state.contacts.get(pair(accountKey, customerId));
      return contact ? copy(contact) : null;
    },
    async insertContact(contact) {
      const key = pair(contact.accountKey, contact.customerId);
      if (state.contacts.has(key)) throw new StoreError(`the account already has contact ${contact.customerId}`);
      setIn(state.contacts, key, copy(contact), undo);
    },
    async patchContact(accountKey, customerId, patch) {
      const key = pair(accountKey, customerId);
      const current = state.contacts.get(key);
      if (!current) throw new StoreError(`no contact ${customerId}`);
      setIn(state.contacts, key, { ...current, ...copy(patch) }, undo);
    },
    async listContacts(accountKey, after, limit) {
      const contacts = [...state.contacts.values()].filter((contact) => contact.accountKey === accountKey);
      const order = (a: ContactRecord, b: ContactRecord) =>
        a.addedAt.getTime() - b.addedAt.getTime() || compareText(a.customerId, b.customerId);
      const isAfter = (contact: ContactRecord) =>
        after === null ||
        contact.addedAt.getTime() > after.addedAt.getTime() ||
        (contact.addedAt.getTime() === after.addedAt.getTime() && contact.customerId > after.customerId);
      return copy(contacts.filter(isAfter).sort(order).slice(0, limit));
    },
    async eraseCustomer(customerId) {
      let contacts = 0;
      let messages = 0;
      let rooms = 0;
      for (const key of state.allAccounts.get(domainId) ?? []) {
        if (state.contacts.has(pair(key, customerId))) {
          deleteIn(state.contacts, pair(key, customerId), undo);
          contacts++;
        }
        const history = state.history.get(key);
        if (history?.some((entry) => entry.customerId === customerId)) {
          const kept = history.filter((entry) => entry.customerId !== customerId);
          messages += history.length - kept.length;
          setIn(state.history, key, kept, undo);
          historyChanged();
        }
        const accountRooms = state.rooms.get(key);
        if (accountRooms?.some((room) => room.customerId === customerId)) {
          const kept = accountRooms.filter((room) => room.customerId !== customerId);
          rooms += accountRooms.length - kept.length;
          setIn(state.rooms, key, kept, undo);
        }
      }
      for (const [mapKey, receipt] of [...state.receipts]) {
        if (receipt.customerId === customerId && accountOfDomainOrNull(receipt.accountKey)) deleteIn(state.receipts, mapKey, undo);
      }
      return { contacts, messages, rooms };
    },

    async listRooms(accountKey) {
      return copy(state.rooms.get(accountKey) ?? []);
    },
    async insertRoom(room) {
      setIn(state.rooms, room.accountKey, [...(state.rooms.get(room.accountKey) ?? []), copy(room)], undo);
    },
    async removeAgentFromRooms(accountKey, memberId) {
      const rooms = state.rooms.get(accountKey);
      if (!rooms) return;
      const next = rooms.map((room) => ({ ...room, agentIds: room.agentIds.filter((id) => id !== memberId) }));
      setIn(state.rooms, accountKey, next, undo);
    },
    async addRoomAgents(accountKey, roomId, memberIds) {
      const rooms = state.rooms.get(accountKey) ?? [];
      const next = rooms.map((room) => (room.roomId === roomId ? { ...room, agentIds: [...room.agentIds, ...memberIds] } : room));
      setIn(state.rooms, accountKey, next, undo);
    },
    async deleteRooms(accountKey) {
      const count = state.rooms.get(accountKey)?.length ?? 0;
      deleteIn(state.rooms, accountKey, undo);
      return count;
    },

    async findBot(botId) {
      const bot = state.bots.get(pair(domainId, botId));
      return bot ? copy(bot) : null;
    },
    async insertBot(bot) {
      setIn(state.bots, pair(domainId, bot.botId), copy(bot), undo);
    },
    async listBots(accountKey) {
      const bots = [...state.bots.values()].filter(
        (bot) => bot.domainId === domainId && (accountKey === undefined || bot.accountKey === accountKey),
      );
      return copy(bots.sort((a, b) => compareText(a.botId, b.botId)));
    },
    async attachBot(botId, accountKey, accountId) {
      const bot = state.bots.get(pair(domainId, botId));
      if (!bot) throw new StoreError(`no bot ${botId}`);
      setIn(state.bots, pair(domainId, botId), { ...bot, accountKey, accountId }, undo);
    },
    async deleteBot(botId) {
      deleteIn(state.bots, pair(domainId, botId), undo);
    },
    async resetBots(accountKey) {
      let deleted = 0;
      let kept = 0;
      for (const [mapKey, bot] of [...state.bots]) {
        if (bot.accountKey !== accountKey) continue;
        if (bot.origin === 'admin') {
          deleteIn(state.bots, mapKey, undo);
          deleted++;
        } else {
          setIn(state.bots, mapKey, { ...bot, accountKey: null }, undo);
          kept++;
        }
      }
      return { deleted, kept };
    },

    async appendHistory(entry) {
      let entries = state.history.get(entry.accountKey);
      if (!entries) {
        entries = [];
        setIn(state.history, entry.accountKey, entries, undo);
      }
      const list = entries;
      list.push(copy(entry));
      undo.push(() => list.pop());
      historyChanged();
    },
    async readHistory(filter, after, limit) {
      return matchingHistory(filter, after, limit).map(({ entry, account }) => ({ ...copy(entry), accountId: account.id, timeZone: account.settings.timeZone }));
    },
    async countHistory(filter) {
      return matchingHistory(filter, null).length;
    },

    async findReceipt(accountKey, direction, messageId) {
      const receipt = state.receipts.get(pair(accountKey, pair(direction, messageId)));
      return receipt ? copy(receipt) : null;
    },
    async putReceipt(receipt) {
      setIn(state.receipts, pair(receipt.accountKey, pair(receipt.direction, receipt.messageId)), copy(receipt), undo);
    },

    async appendEvents(drafts) {
      let log = state.events.get(domainId);
      if (!log) {
        log = [];
        setIn(state.events, domainId, log, undo);
      }
      const events = log;
      const seqs: number[] = [];
      for (const draft of drafts) {
        const record: EventRecord = { ...copy(draft), seq: events.length + 1, domainId };
        events.push(record);
        seqs.push(record.seq);
        undo.push(() => events.pop());
      }
      return seqs;
    },
    async readEvents(after, limit) {
      const log = state.events.get(domainId) ?? [];
      return copy(log.slice(Math.max(0, Math.floor(after)), Math.max(0, Math.floor(after)) + limit));
    },
    async lastEventSeq() {
      return state.events.get(domainId)?.length ?? 0;
    },

    async insertBackupJob(job) {
      setIn(state.backupJobs, pair(domainId, job.jobId), copy(job), undo);
    },
    async getBackupJob(jobId) {
      const job = state.backupJobs.get(pair(domainId, jobId));
      return job ? copy(job) : null;
    },
    async claimBackupJob(jobId, { attempt, at, watermark }) {
      changeJob(jobId, { status: 'running', attempt, startedAt: at, heartbeatAt: at, watermark, readyAt: null, failureReason: null, byteLength: null, rowsDone: 0, rowsTotal: null });
    },
    async recordBackupProgress(jobId, progress) {
      changeJob(jobId, progress);
    },
    async markBackupReady(jobId, { at, byteLength, rows }) {
      changeJob(jobId, { status: 'ready', readyAt: at, heartbeatAt: at, byteLength, rowsDone: rows, rowsTotal: rows });
    },
    async markBackupFailed(jobId, reason, at) {
      changeJob(jobId, { status: 'failed', failureReason: reason, heartbeatAt: at });
    },
    async cancelBackupJob(jobId) {
      changeJob(jobId, { status: 'cancelled', readyAt: null, byteLength: null, failureReason: null });
    },
    async requeueBackupJob(jobId) {
      changeJob(jobId, { status: 'pending', startedAt: null, heartbeatAt: null, byteLength: null, rowsDone: 0, rowsTotal: null });
    },
    async deleteBackupJob(jobId) {
      deleteIn(state.backupJobs, pair(domainId, jobId), undo);
    },
    async listBackupJobs(statuses) {
      return oldestBackupJobs(state, Number.MAX_SAFE_INTEGER, (job) => job.domainId === domainId && statuses.includes(job.status));
    },
    async deleteBackupFiles(fileIds) {
      for (const fileId of fileIds) deleteIn(state.backupChunks, pair(domainId, fileId), undo);
    },
  };
}

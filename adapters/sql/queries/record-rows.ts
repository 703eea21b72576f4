import type { Insertable, Selectable, Updateable } from 'kysely';
import {
  ABSENCE_REPLY_KINDS,
  BACKUP_FORMATS,
  BACKUP_STATUSES,
  BOT_ORIGINS,
  CHANNELS,
  SENDER_KINDS,
  type AccountRecord,
  type BackupJobRecord,
  type BotRecord,
  type ContactPatch,
  type ContactRecord,
  type EventDraft,
  type EventRecord,
  type HistoryRecord,
  type HistoryRow,
  type ProductRecord,
  type ReceiptRecord,
} from '../../../src/ports/records.js';
import type { AccountSettings } from '../../../src/schedule/schedule-types.js';
import type {
  AccountTable,
  BackupJobTable,
  BotTable,
  ContactTable,
  EventTable,
  HistoryTable,
  ProductTable,
  ReceiptTable,
} from '../cx-database.js';
import { nameKeyHash } from './name-key-hash.js';
import { storedMember, toDate, toDateOrNull, toMillis, toMillisOrNull, toNumber } from './row-values.js';

/**
 * Store records to rows and back. Rows hold instants as epoch milliseconds; reading always
 * builds fresh objects, so callers get private copies as they do from the memory store.
 *
 * @module
 */

export function productToRow(domainId: string, product: ProductRecord): Insertable<ProductTable> {
  return {
    domain_id: domainId,
    product_id: product.productId,
    name: product.name,
    seat_limit: product.seatLimit,
    quantity: product.quantity,
  };
}

export function rowToProduct(row: Selectable<ProductTable>): ProductRecord {
  return { productId: row.product_id, name: row.name, seatLimit: toNumber(row.seat_limit), quantity: toNumber(row.quantity) };
}

/** The columns of an account that may change after it is inserted, in a fixed order. */
export const ACCOUNT_CHANGE_COLUMNS = [
  'name',
  'name_key',
  'active_id',
  'active_domain_id',
  'active_name_hash',
  'description',
  'image_file_name',
  'image_byte_length',
  'image_width',
  'image_height',
  'product_id',
  'agent_count',
  'reset_at',
  'version',
  'settings',
] as const;

/**
 * The values of {@link ACCOUNT_CHANGE_COLUMNS} for an account. `nameHash`: the hash of its
 * name key when already known (the store reuses the one it read).
 */
export function accountChangeColumns(account: AccountRecord, nameHash?: string | null) {
  const active = account.resetAt === null;
  return {
    name: account.name,
    name_key: account.nameKey,
    // Lower-cased: IDs are unique case-insensitively across domains (R6), by this column's unique index.
    active_id: active ? account.id.toLowerCase() : null,
    active_domain_id: active ? account.domainId : null,
    active_name_hash: active ? (nameHash ?? nameKeyHash(account.nameKey)) : null,
    description: account.description,
    image_file_name: account.image?.fileName ?? null,
    image_byte_length: account.image?.byteLength ?? null,
    image_width: account.image?.width ?? null,
    image_height: account.image?.height ?? null,
    product_id: account.productId,
    agent_count: account.agentIds.length,
    reset_at: toMillisOrNull(account.resetAt),
    version: account.version,
    settings: JSON.stringify(account.settings),
  } satisfies Record<(typeof ACCOUNT_CHANGE_COLUMNS)[number], unknown>;
}

/** Every column of an account row, in a fixed order. */
export const ACCOUNT_INSERT_COLUMNS = ['key', 'domain_id', 'id', 'contact_url', 'activated_at', ...ACCOUNT_CHANGE_COLUMNS] as const;

export function accountToRow(account: AccountRecord) {
  return {
    key: account.key,
    domain_id: account.domainId,
    id: account.id,
    contact_url: account.contactUrl,
    activated_at: toMillis(account.activatedAt),
    ...accountChangeColumns(account),
  } satisfies Insertable<AccountTable> & Record<(typeof ACCOUNT_INSERT_COLUMNS)[number], unknown>;
}

/** An account row as a record; `settings` already read from `row.settings` when the caller has them. */
export function rowToAccount(row: Selectable<AccountTable>, agentIds: string[], settings?: AccountSettings): AccountRecord {
  return {
    key: row.key,
    domainId: row.domain_id,
    id: row.id,
    name: row.name,
    nameKey: row.name_key,
    description: row.description,
    image:
      row.image_file_name === null
        ? null
        : {
            fileName: row.image_file_name,
            byteLength: toNumber(row.image_byte_length ?? 0),
            width: toNumber(row.image_width ?? 0),
            height: toNumber(row.image_height ?? 0),
          },
    productId: row.product_id,
    agentIds,
    contactUrl: row.contact_url,
    activatedAt: toDate(row.activated_at),
    resetAt: toDateOrNull(row.reset_at),
    version: toNumber(row.version),
    settings: settings ?? (JSON.parse(row.settings) as AccountSettings),
  };
}

export function contactToRow(contact: ContactRecord): Insertable<ContactTable> {
  return {
    account_key: contact.accountKey,
    customer_id: contact.customerId,
    name: contact.name,
    channel: contact.channel,
    added_at: toMillis(contact.addedAt),
    welcomed_at: toMillisOrNull(contact.welcomedAt),
    last_auto_reply_kind: contact.lastAutoReply?.kind ?? null,
    last_auto_reply_at: contact.lastAutoReply ? toMillis(contact.lastAutoReply.at) : null,
  };
}

/** The columns a contact patch sets; a field left out is not written. */
export function contactPatchToRow(patch: ContactPatch): Updateable<ContactTable> {
  return {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.channel !== undefined ? { channel: patch.channel } : {}),
    ...(patch.welcomedAt !== undefined ? { welcomed_at: toMillisOrNull(patch.welcomedAt) } : {}),
    ...(patch.lastAutoReply !== undefined
      ? { last_auto_reply_kind: patch.lastAutoReply?.kind ?? null, last_auto_reply_at: patch.lastAutoReply ? toMillis(patch.lastAutoReply.at) : null }
      : {}),
  };
}

export function rowToContact(row: Selectable<ContactTable>): ContactRecord {
  return {
    accountKey: row.account_key,
    customerId: row.customer_id,
    name: row.name,
    channel: storedMember(CHANNELS, row.channel, 'cx_contacts.channel'),
    addedAt: toDate(row.added_at),
    welcomedAt: toDateOrNull(row.welcomed_at),
    lastAutoReply:
      row.last_auto_reply_kind === null || row.last_auto_reply_at === null
        ? null
        : { kind: storedMember(ABSENCE_REPLY_KINDS, row.last_auto_reply_kind, 'cx_contacts.last_auto_reply_kind'), at: toDate(row.last_auto_reply_at) },
  };
}

export function botToRow(domainId: string, bot: BotRecord): Insertable<BotTable> {
  return {
    domain_id: domainId,
    bot_id: bot.botId,
    name: bot.name,
    origin: bot.origin,
    account_key: bot.accountKey,
    account_id: bot.accountId,
    created_at: toMillis(bot.createdAt),
  };
}

export function rowToBot(row: Selectable<BotTable>): BotRecord {
  return {
    domainId: row.domain_id,
    botId: row.bot_id,
    name: row.name,
    origin: storedMember(BOT_ORIGINS, row.origin, 'cx_bots.origin'),
    accountKey: row.account_key,
    accountId: row.account_id,
    createdAt: toDate(row.created_at),
  };
}

/** The columns of a history row the store writes, in a fixed order. */
export const HISTORY_COLUMNS = [
  'account_key',
  'domain_id',
  'message_id',
  'account_name',
  'customer_id',
  'customer_name',
  'channel',
  'sent_at',
  'sender_kind',
  'sender_id',
  'sender_name',
  'content',
  'event_seq',
] as const;

export function historyToRow(domainId: string, entry: HistoryRecord) {
  return {
    account_key: entry.accountKey,
    domain_id: domainId,
    message_id: entry.messageId,
    account_name: entry.accountName,
    customer_id: entry.customerId,
    customer_name: entry.customerName,
    channel: entry.channel,
    sent_at: toMillis(entry.sentAt),
    sender_kind: entry.senderKind,
    sender_id: entry.senderId,
    sender_name: entry.senderName,
    content: entry.content,
    event_seq: entry.eventSeq,
  } satisfies Insertable<HistoryTable> & Record<(typeof HISTORY_COLUMNS)[number], unknown>;
}

/** Columns of a history row as reads select them, in this order (rows read as arrays follow it). */
export const HISTORY_READ_COLUMNS = ['account_key', ...HISTORY_COLUMNS.filter((column) => column !== 'account_key' && column !== 'domain_id')] as const;

/** The columns reads select, as a row object has them. */
export type HistoryReadRow = Omit<Selectable<HistoryTable>, 'seq' | 'domain_id'>;

/** A history row read as an array of values, in {@link HISTORY_READ_COLUMNS} order. */
export type HistoryReadValues = readonly unknown[];

const readIndex = (column: (typeof HISTORY_READ_COLUMNS)[number]) => HISTORY_READ_COLUMNS.indexOf(column);
const AT_ACCOUNT_KEY = readIndex('account_key');
const AT_MESSAGE_ID = readIndex('message_id');
const AT_ACCOUNT_NAME = readIndex('account_name');
const AT_CUSTOMER_ID = readIndex('customer_id');
const AT_CUSTOMER_NAME = readIndex('customer_name');
const AT_CHANNEL = readIndex('channel');
const AT_SENT_AT = readIndex('sent_at');
const AT_SENDER_KIND = readIndex('sender_kind');
const AT_SENDER_ID = readIndex('sender_id');
const AT_SENDER_NAME = readIndex('sender_name');
const AT_CONTENT = readIndex('content');
const AT_EVENT_SEQ = readIndex('event_seq');

/** The account key of a history row read as an object or as an array of values. */
export function historyRowAccountKey(row: HistoryReadRow | HistoryReadValues): string {
  return isValues(row) ? (row[AT_ACCOUNT_KEY] as string) : row.account_key;
}

/**
 * A history row as reads answer it, from a row read as an object or as an array of values
 * (`ROW_ARRAYS_HINT`).
 */
export function historyRowOf(row: HistoryReadRow | HistoryReadValues, accountId: string, timeZone: string): HistoryRow {
  if (!isValues(row)) return rowToHistoryRow(row, accountId, timeZone);
  return {
    messageId: row[AT_MESSAGE_ID] as string,
    accountKey: row[AT_ACCOUNT_KEY] as string,
    accountName: row[AT_ACCOUNT_NAME] as string,
    customerId: row[AT_CUSTOMER_ID] as string,
    customerName: row[AT_CUSTOMER_NAME] as string,
    channel: storedMember(CHANNELS, row[AT_CHANNEL], 'cx_history.channel'),
    sentAt: toDate(row[AT_SENT_AT] as number | string | bigint),
    senderKind: storedMember(SENDER_KINDS, row[AT_SENDER_KIND], 'cx_history.sender_kind'),
    senderId: row[AT_SENDER_ID] as string,
    senderName: row[AT_SENDER_NAME] as string,
    content: row[AT_CONTENT] as string,
    eventSeq: toNumber(row[AT_EVENT_SEQ] as number | string | bigint),
    accountId,
    timeZone,
  };
}

function isValues(row: HistoryReadRow | HistoryReadValues): row is HistoryReadValues {
  return Array.isArray(row);
}

/**
 * A history row as reads answer it, from a row of the columns reads select (everything but
 * `domain_id` and `seq`), built as one object: a backup builds a million.
 */
export function rowToHistoryRow(row: HistoryReadRow, accountId: string, timeZone: string): HistoryRow {
  return {
    messageId: row.message_id,
    accountKey: row.account_key,
    accountName: row.account_name,
    customerId: row.customer_id,
    customerName: row.customer_name,
    channel: storedMember(CHANNELS, row.channel, 'cx_history.channel'),
    sentAt: toDate(row.sent_at),
    senderKind: storedMember(SENDER_KINDS, row.sender_kind, 'cx_history.sender_kind'),
    senderId: row.sender_id,
    senderName: row.sender_name,
    content: row.content,
    eventSeq: toNumber(row.event_seq),
    accountId,
    timeZone,
  };
}

/** The columns of an event row, in a fixed order. */
export const EVENT_COLUMNS = ['domain_id', 'seq', 'type', 'account_id', 'account_uid', 'at', 'actor', 'data'] as const;

/** Appends an event's row values to `values`, in the order of {@link EVENT_COLUMNS}. */
export function pushEventValues(values: unknown[], domainId: string, seq: number, event: EventDraft): void {
  values.push(domainId, seq, event.type, event.accountId, event.accountUid, toMillis(event.at), event.actor, JSON.stringify(event.data));
}

export function rowToEvent(row: Selectable<EventTable>): EventRecord {
  return {
    seq: toNumber(row.seq),
    domainId: row.domain_id,
    type: row.type,
    accountId: row.account_id,
    accountUid: row.account_uid,
    at: toDate(row.at),
    actor: row.actor,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

export function rowToReceipt(row: Selectable<ReceiptTable>): ReceiptRecord {
  if (row.direction !== 'incoming' && row.direction !== 'outgoing') throw new Error(`a receipt of an unknown direction: ${JSON.stringify(row.direction)}`);
  return {
    accountKey: row.account_key,
    direction: row.direction,
    messageId: row.message_id,
    message: row.message,
    customerId: row.customer_id,
    answer: JSON.parse(row.answer) as unknown,
    at: toDate(row.at),
  };
}

export function backupJobToRow(domainId: string, job: BackupJobRecord): Insertable<BackupJobTable> {
  return {
    domain_id: domainId,
    job_id: job.jobId,
    status: job.status,
    requested_at: toMillis(job.requestedAt),
    started_at: toMillisOrNull(job.startedAt),
    ready_at: toMillisOrNull(job.readyAt),
    failure_reason: job.failureReason,
    byte_length: job.byteLength,
    attempt: job.attempt,
    heartbeat_at: toMillisOrNull(job.heartbeatAt),
    filter_from: toMillisOrNull(job.filter.from),
    filter_to: toMillisOrNull(job.filter.to),
    filter_account_ids: job.filter.accountIds ? JSON.stringify(job.filter.accountIds) : null,
    format: job.format,
    watermark: job.watermark,
    rows_done: job.rowsDone,
    rows_total: job.rowsTotal,
  };
}

export function rowToBackupJob(row: Selectable<BackupJobTable>): BackupJobRecord {
  return {
    domainId: row.domain_id,
    jobId: row.job_id,
    status: storedMember(BACKUP_STATUSES, row.status, 'cx_backup_jobs.status'),
    requestedAt: toDate(row.requested_at),
    startedAt: toDateOrNull(row.started_at),
    readyAt: toDateOrNull(row.ready_at),
    failureReason: row.failure_reason,
    byteLength: row.byte_length === null ? null : toNumber(row.byte_length),
    attempt: toNumber(row.attempt),
    heartbeatAt: toDateOrNull(row.heartbeat_at),
    filter: { from: toDateOrNull(row.filter_from), to: toDateOrNull(row.filter_to), accountIds: parseAccountIds(row.filter_account_ids) },
    format: storedMember(BACKUP_FORMATS, row.format, 'cx_backup_jobs.format'),
    watermark: row.watermark === null ? null : toNumber(row.watermark),
    rowsDone: toNumber(row.rows_done),
    rowsTotal: row.rows_total === null ? null : toNumber(row.rows_total),
  };
}

/** A backup filter's account IDs as stored (a JSON array of strings), or `null` for every account. */
function parseAccountIds(stored: string | null): string[] | null {
  if (stored === null) return null;
  const parsed: unknown = JSON.parse(stored);
  if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string')) throw new Error(`unreadable backup filter: ${stored.slice(0, 80)}`);
  return parsed;
}

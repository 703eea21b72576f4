import { err, ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { inAccountTransaction } from '../accounts/account-transaction.js';
import { decodeKeysetCursor, encodeKeysetCursor } from '../validation/keyset-cursor.js';
import { notFound } from '../errors.js';
import type { StoreTransaction } from '../ports/store.js';
import type { OperationContext } from '../operation-context.js';
import type { Channel, HistoryFilter, HistoryRow, SenderKind } from '../ports/records.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { accountIdSchema, customerIdSchema, domainIdSchema, opaqueId } from '../validation/identifiers.js';
import { messageTimeSchema } from '../validation/message-time.js';
import { parseInput } from '../validation/parse-input.js';

/**
 * A stored message, as `conversations.history` answers it (R39). Names are the ones in use
 * when the message was sent.
 *
 * @category Conversations
 */
export type HistoryMessage = {
  messageId: string;
  /** The `uid` of the account: tells apart the accounts that had one ID before and after a reset. */
  accountUid: string;
  accountId: string;
  accountName: string;
  customerId: string;
  customerName: string;
  channel: Channel;
  sender: { kind: SenderKind; id: string; name: string };
  content: string;
  sentAt: Date;
};

/**
 * A contact of an account (R40).
 *
 * @category Conversations
 */
export type Contact = { customerId: string; name: string; channel: Channel; addedAt: Date };

/**
 * What `conversations.history` takes (R39); every field narrows.
 *
 * @category Conversations
 */
export type HistoryQuery = {
  /** Every account that ever had this ID, reset ones included. */
  accountId?: string;
  customerId?: string;
  /** `sentAt >= from`. */
  from?: Date;
  /** `sentAt < to`. */
  to?: Date;
  /** 1–500, default 100. */
  limit?: number;
  cursor?: string | null;
};

/**
 * A page of a listing, with the cursor of the next page (`null` on the last).
 *
 * @category Conversations
 */
export type Page<T> = { items: T[]; nextCursor: string | null };

const historyQuerySchema = z
  .strictObject({
    accountId: accountIdSchema.optional(),
    customerId: customerIdSchema.optional(),
    from: messageTimeSchema.optional(),
    to: messageTimeSchema.optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: z.string().nullable().optional(),
  })
  .optional();

const contactsQuerySchema = z
  .strictObject({
    accountUid: opaqueId('account uid').optional(),
    limit: z.number().int().min(1).max(500).optional(),
    cursor: z.string().nullable().optional(),
  })
  .optional();

function toHistoryMessage(row: HistoryRow): HistoryMessage {
  return {
    messageId: row.messageId,
    accountUid: row.accountKey,
    accountId: row.accountId,
    accountName: row.accountName,
    customerId: row.customerId,
    customerName: row.customerName,
    channel: row.channel,
    sender: { kind: row.senderKind, id: row.senderId, name: row.senderName },
    content: row.content,
    sentAt: row.sentAt,
  };
}

/**
 * The reading side of `conversations`: what is kept, paged (R39, R40).
 *
 * @category Conversations
 */
export type ConversationReads = {
  /**
   * Pages through the stored messages of the domain, reset accounts included, oldest first
   * (ties by `messageId`, then in the order they were recorded: an incoming and an outgoing
   * message, or two accounts' messages, may carry one transport id, R47), with filters (R39). Pass `nextCursor` back with the same filters.
   *
   * @example
   * ```ts
   * const page = await cx.conversations.history('acme', { accountId: 'help', limit: 50 });
   * page.match(
   *   ({ items }) => items.forEach((m) => console.log(m.sentAt.toISOString(), m.sender.name, m.content)),
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId` or the query (account ID, customer, time range, `limit`, `cursor`)
   *   is malformed.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  history(domainId: string, query?: HistoryQuery): ResultAsync<Page<HistoryMessage>, OperationError<'conversations.history'>>;
  /**
   * Pages through the contacts of the active account with this ID, by the time they were added
   * (R40). Given `accountUid` (an account's `uid`, e.g. from `history` or an event), it pages
   * through the contacts of that account whether active or reset (a reset keeps them, R24); a
   * `uid` of another ID or domain is `not_found`.
   *
   * @example
   * ```ts
   * const contacts = await cx.conversations.contacts('acme', 'help', { limit: 100 });
   * if (contacts.isOk()) console.log(contacts.value.items.map((c) => c.name));
   * // The contacts of the account that had the ID before a reset:
   * const before = await cx.conversations.contacts('acme', 'help', { accountUid: 'e3b0c442-…' });
   * before.match(({ items }) => console.log(items.length), (error) => console.error(error.code));
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `accountId`, `limit` or `cursor` is malformed.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  contacts(
    domainId: string,
    accountId: string,
    query?: { accountUid?: string; limit?: number; cursor?: string | null },
  ): ResultAsync<Page<Contact>, OperationError<'conversations.contacts'>>;
};

export function conversationReads(context: OperationContext): ConversationReads {
  const { store } = context;
  return narrowed<ConversationReads>({
    history: (domainId, query) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const parsed = take(parseInput(historyQuerySchema, query, 'query'));
        const limit = parsed?.limit ?? 100;
        const after = parsed?.cursor ? take(decodeKeysetCursor('history', 'conversations.history', parsed.cursor)) : null;
        const filter: HistoryFilter = {};
        if (parsed?.accountId !== undefined) filter.accountIds = [parsed.accountId];
        if (parsed?.customerId !== undefined) filter.customerId = parsed.customerId;
        if (parsed?.from !== undefined) filter.from = parsed.from;
        if (parsed?.to !== undefined) filter.to = parsed.to;
        return await transact(store, domain, 'read', async (tx) => {
          const position = after && (after.tie === undefined ? { sentAt: after.at, messageId: after.id } : { sentAt: after.at, messageId: after.id, eventSeq: after.tie });
          const rows = await tx.readHistory(filter, position, limit + 1);
          const page = rows.slice(0, limit);
          const last = page[page.length - 1];
          return ok({
            items: page.map(toHistoryMessage),
            nextCursor: rows.length > limit && last ? encodeKeysetCursor('history', { at: last.sentAt, id: last.messageId, tie: last.eventSeq }) : null,
          });
        });
      }),

    contacts: (domainId, accountId, query) =>
      runOperation(async (take) => {
        const parsed = take(parseInput(contactsQuerySchema, query, 'query'));
        const limit = parsed?.limit ?? 100;
        const after = parsed?.cursor ? take(decodeKeysetCursor('contacts', 'conversations.contacts', parsed.cursor)) : null;
        const pageOf = async (tx: StoreTransaction, accountKey: string) => {
          const rows = await tx.listContacts(accountKey, after && { addedAt: after.at, customerId: after.id }, limit + 1);
          const page = rows.slice(0, limit);
          const last = page[page.length - 1];
          return ok({
            items: page.map(({ customerId, name, channel, addedAt }) => ({ customerId, name, channel, addedAt })),
            nextCursor: rows.length > limit && last ? encodeKeysetCursor('contacts', { at: last.addedAt, id: last.customerId }) : null,
          });
        };
        const uid = parsed?.accountUid;
        if (uid === undefined) return await inAccountTransaction(store, domainId, accountId, 'read', (account, tx) => pageOf(tx, account.key));
        // An account by uid, active or reset: it must have had this ID in this domain (R40).
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const id = take(parseInput(accountIdSchema, accountId, 'accountId'));
        return await transact(store, domain, 'read', async (tx) => {
          const idOfUid = await tx.findAccountIdByUid(uid);
          if (idOfUid === null || idOfUid.toLowerCase() !== id.toLowerCase()) return err(notFound('account', id));
          return await pageOf(tx, uid);
        });
      }),
  });
}

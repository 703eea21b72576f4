import { err, ok, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { notFound, storeFailure, type CxError } from '../errors.js';
import { inAccountTransaction } from '../accounts/account-transaction.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord, Channel, ContactRecord, RoomRecord } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { domainIdSchema, memberIdSchema, opaqueId } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { textField } from '../validation/text-fields.js';
import { decideAwayReply, decideWelcomeReply, type AutoReply } from './auto-reply.js';

/**
 * A conversation space of an account.
 *
 * @category Conversations
 */
export type Room = {
  roomId: string;
  kind: 'consultation' | 'group';
  /** The customer of a consultation room; `null` for a group room. */
  customerId: string | null;
  agentIds: string[];
  createdAt: Date;
};

/**
 * Most characters (graphemes) in one message.
 *
 * @category Conversations
 */
export const MAX_MESSAGE_LENGTH = 10_000;

const channelSchema = z.enum(['lineworks', 'line', 'mail']);
const customerIdSchema = opaqueId('customerId');
const instantSchema = z.date({ error: 'must be a valid Date' });
const contentSchema = textField({ min: 1, max: MAX_MESSAGE_LENGTH });

const addContactSchema = z.strictObject({
  customerId: customerIdSchema,
  name: textField({ min: 1, max: 100, trim: true, forbidControl: true }),
  channel: channelSchema,
});

const receiveSchema = z.strictObject({
  customerId: customerIdSchema,
  content: contentSchema,
  channel: channelSchema,
  at: instantSchema.optional(),
});

const sendSchema = z.strictObject({
  agentId: memberIdSchema,
  customerId: customerIdSchema,
  content: contentSchema,
  at: instantSchema.optional(),
});

const openRoomSchema = z
  .strictObject({
    kind: z.enum(['consultation', 'group']),
    customerId: customerIdSchema.optional(),
    agentIds: z.array(memberIdSchema).min(1, 'a room needs at least one agent').max(1000),
  })
  .superRefine((room, ctx) => {
    if (room.kind === 'consultation' && room.customerId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'a consultation room needs its customer' });
    }
    if (room.kind === 'group' && room.customerId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'a group room has no customer' });
    }
    if (new Set(room.agentIds).size !== room.agentIds.length) {
      ctx.addIssue({ code: 'custom', path: ['agentIds'], message: 'lists an agent twice' });
    }
  });

function toRoom(record: RoomRecord): Room {
  return {
    roomId: record.roomId,
    kind: record.kind,
    customerId: record.customerId,
    agentIds: record.agentIds,
    createdAt: record.createdAt,
  };
}

/**
 * The `conversations` operations.
 *
 * @category Conversations
 */
export type ConversationOperations = {
  /**
   * Records a customer who added the account as a contact, through a channel (R22). Answers
   * the welcome message the first time it can be sent to this customer (never for `mail`,
   * never when empty), and `null` otherwise. Adding again updates the name and channel.
   *
   * @example
   * ```ts
   * const reply = await cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' });
   * if (reply.isOk() && reply.value) chat.send('c1', reply.value.text);
   * ```
   */
  addContact(
    domainId: string,
    accountId: string,
    input: { customerId: string; name: string; channel: Channel },
  ): ResultAsync<AutoReply | null, CxError>;
  /**
   * Records a customer's message in the history (always) and answers the automatic reply due
   * (R23): holiday or away message at most once per customer within one continuous stretch of
   * that state, nothing while open. `at` defaults to the clock's now.
   */
  receiveMessage(
    domainId: string,
    accountId: string,
    input: { customerId: string; content: string; channel: Channel; at?: Date },
  ): ResultAsync<AutoReply | null, CxError>;
  /** Records an agent's message to a customer in the history. The agent must be an agent of the account. */
  sendMessage(
    domainId: string,
    accountId: string,
    input: { agentId: string; customerId: string; content: string; at?: Date },
  ): ResultAsync<void, CxError>;
  /** Opens a room: `consultation` (one customer who is a contact) or `group`, with agents of the account. */
  openRoom(
    domainId: string,
    accountId: string,
    input: { kind: 'consultation' | 'group'; customerId?: string; agentIds: string[] },
  ): ResultAsync<Room, CxError>;
  /** The rooms of an account, oldest first. */
  rooms(domainId: string, accountId: string): ResultAsync<Room[], CxError>;
};

export function conversationOperations(context: OperationContext): ConversationOperations {
  const { store, directory, clock } = context;

  /** Records an automatic reply in the history, sent in the account's name. */
  const recordReply = (tx: StoreTransaction, account: AccountRecord, contact: ContactRecord, reply: AutoReply, at: Date) =>
    tx.appendHistory({
      accountKey: account.key,
      customerId: contact.customerId,
      customerName: contact.name,
      sentAt: at,
      senderKind: 'auto_reply',
      senderName: account.name,
      content: reply.text,
    });

  return {
    addContact: (domainId, accountId, input) =>
      runOperation(async () => {
        const parsed = parseInput(addContactSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        return inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          const now = clock();
          const existing = await tx.findContact(account.key, fields.customerId);
          const reply = decideWelcomeReply(account.settings, fields.channel, existing?.welcomedAt != null);
          const contact: ContactRecord = {
            accountKey: account.key,
            customerId: fields.customerId,
            name: fields.name,
            channel: fields.channel,
            addedAt: existing?.addedAt ?? now,
            welcomedAt: reply ? now : (existing?.welcomedAt ?? null),
            lastAutoReply: existing?.lastAutoReply ?? null,
          };
          await tx.putContact(contact);
          if (reply) await recordReply(tx, account, contact, reply, now);
          return ok(reply);
        });
      }),

    receiveMessage: (domainId, accountId, input) =>
      runOperation(async () => {
        const parsed = parseInput(receiveSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        return inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          const contact = await tx.findContact(account.key, fields.customerId);
          if (!contact) return err(notFound('contact', fields.customerId));
          const at = fields.at ?? clock();
          await tx.appendHistory({
            accountKey: account.key,
            customerId: contact.customerId,
            customerName: contact.name,
            sentAt: at,
            senderKind: 'customer',
            senderName: contact.name,
            content: fields.content,
          });
          const reply = decideAwayReply(account.settings, at, contact.lastAutoReply);
          if (reply && reply.kind !== 'welcome') {
            await tx.putContact({ ...contact, lastAutoReply: { kind: reply.kind, at } });
            await recordReply(tx, account, contact, reply, at);
          }
          return ok(reply);
        });
      }),

    sendMessage: (domainId, accountId, input) =>
      runOperation(async () => {
        const parsed = parseInput(sendSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        let agentName: string;
        try {
          const [member] = await directory.get(domain.value, [fields.agentId]);
          agentName = member?.name ?? fields.agentId;
        } catch (cause) {
          return err(storeFailure(cause, `member directory failed: ${cause instanceof Error ? cause.message : String(cause)}`));
        }
        return inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          if (!account.agentIds.includes(fields.agentId)) return err(notFound('agent', fields.agentId));
          const contact = await tx.findContact(account.key, fields.customerId);
          if (!contact) return err(notFound('contact', fields.customerId));
          await tx.appendHistory({
            accountKey: account.key,
            customerId: contact.customerId,
            customerName: contact.name,
            sentAt: fields.at ?? clock(),
            senderKind: 'agent',
            senderName: agentName,
            content: fields.content,
          });
          return ok(undefined);
        });
      }),

    openRoom: (domainId, accountId, input) =>
      runOperation(async () => {
        const parsed = parseInput(openRoomSchema, input);
        if (parsed.isErr()) return err(parsed.error);
        const fields = parsed.value;
        return inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
          const stranger = fields.agentIds.find((id) => !account.agentIds.includes(id));
          if (stranger !== undefined) return err(notFound('agent', stranger));
          if (fields.customerId !== undefined && !(await tx.findContact(account.key, fields.customerId))) {
            return err(notFound('contact', fields.customerId));
          }
          const room: RoomRecord = {
            accountKey: account.key,
            roomId: randomId(),
            kind: fields.kind,
            customerId: fields.customerId ?? null,
            agentIds: fields.agentIds,
            createdAt: clock(),
          };
          await tx.insertRoom(room);
          return ok(toRoom(room));
        });
      }),

    rooms: (domainId, accountId) =>
      runOperation(async () => {
        return inAccountTransaction(store, domainId, accountId, 'read', async (account, tx) =>
          ok((await tx.listRooms(account.key)).map(toRoom)),
        );
      }),
  };
}


import { err, ok, type Result, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { directoryFailure, notFound, ruleError, type CxError } from '../errors.js';
import { newEvent } from '../events/new-event.js';
import type { AccountSettings } from '../schedule/schedule-types.js';
import { conversationReads, type ConversationReads } from './conversation-reads.js';
import { messageTimeSchema } from '../validation/message-time.js';
import { inAccountTransaction } from '../accounts/account-transaction.js';
import type { OperationContext } from '../operation-context.js';
import { CHANNELS, ROOM_KINDS, type AccountRecord, type Channel, type ContactRecord, type MessageDirection, type RoomRecord } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import { randomId } from '../random-id.js';
import { runOperation } from '../run-operation.js';
import { customerIdSchema, domainIdSchema, memberIdSchema, messageIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { textField } from '../validation/text-fields.js';
import { decideAwayReply, decideWelcomeReply, type AutoReply } from './auto-reply.js';
import { recordAutoReply, recordMessage } from './record-message.js';
import { newMessageId } from '../internal/message-id.js';
import { straight } from '../internal/straight.js';

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

const channelSchema = z.enum(CHANNELS);
const contentSchema = textField({ min: 1, max: MAX_MESSAGE_LENGTH });

export const addContactSchema = z.strictObject({
  customerId: customerIdSchema,
  name: textField({ min: 1, max: 100, trim: true, forbidControl: true }),
  channel: channelSchema,
});

export const receiveSchema = z.strictObject({
  customerId: customerIdSchema,
  content: contentSchema,
  channel: channelSchema,
  at: messageTimeSchema.optional(),
  messageId: messageIdSchema.optional(),
});

export const sendSchema = z.strictObject({
  agentId: memberIdSchema,
  customerId: customerIdSchema,
  content: contentSchema,
  at: messageTimeSchema.optional(),
  messageId: messageIdSchema.optional(),
});

const openRoomSchema = z
  .strictObject({
    kind: z.enum(ROOM_KINDS),
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
export type ConversationOperations = ConversationReads & {
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
   *
   * @errors
   * - `validation`: the customer ID, name or channel is malformed.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `channel_disconnected`: the channel is switched off in the account's settings (R43); nothing
   *   is recorded.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  addContact(
    domainId: string,
    accountId: string,
    input: { customerId: string; name: string; channel: Channel },
  ): ResultAsync<AutoReply | null, OperationError<'conversations.addContact'>>;
  /**
   * Records a customer's message in the history (always) and answers the automatic reply due
   * (R23): holiday or away message at most once per customer within one continuous stretch of
   * that state, nothing while open. `at` defaults to the clock's now. A channel switched off
   * in the settings answers `channel_disconnected` and records nothing (R43).
   *
   * Give the transport's own `messageId` (a webhook's message id) and a redelivery or a retry
   * after `outcome: 'unknown'` is applied once: the second call records nothing and answers
   * what the first answered (R47).
   *
   * @example
   * ```ts
   * const reply = await cx.conversations.receiveMessage('acme', 'help', {
   *   customerId: 'c1', content: 'Hello?', channel: 'line', messageId: 'webhook-msg-8812',
   * });
   * reply.match(
   *   (auto) => { if (auto) console.log('send back:', auto.text); },
   *   (error) => console.error(error.code),
   * );
   * ```
   *
   * @errors
   * - `validation`: the customer ID, content, channel, `at` or `messageId` is malformed.
   * - `not_found`: no such account, or the customer is not one of its contacts (`entity` says
   *   which).
   * - `channel_disconnected`: the channel is switched off in the account's settings (R43); nothing
   *   is recorded.
   * - `id_taken`: the `messageId` already names an incoming message of the account with another
   *   customer, content or time (R47); nothing is recorded. The same message again answers what the
   *   first call answered.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  receiveMessage(
    domainId: string,
    accountId: string,
    input: { customerId: string; content: string; channel: Channel; at?: Date; messageId?: string },
  ): ResultAsync<AutoReply | null, OperationError<'conversations.receiveMessage'>>;
  /**
   * Records an agent's message to a customer in the history, through the customer's channel
   * as last recorded (R41). A member who is not (or no longer) an agent of the account gets
   * `not_found`, entity `agent` (R37). When that channel is switched off in the settings, the
   * call answers `channel_disconnected` and records nothing (R43). `messageId` works as in
   * `receiveMessage` (R47).
   *
   * @errors
   * - `validation`: the agent ID, customer ID, content, `at` or `messageId` is malformed.
   * - `not_found`: no such account, the customer is not one of its contacts, or the sender is not
   *   (or no longer) one of its agents (`entity` says which, R37).
   * - `channel_disconnected`: the customer's last channel is switched off in the account's
   *   settings, so the reply cannot go out (R43); nothing is recorded.
   * - `id_taken`: the `messageId` already names an outgoing message of the account with another
   *   sender, customer, content or time (R47); nothing is recorded. The same message again answers
   *   `undefined` as the first call did.
   * - `directory_failure`: your member directory threw or answered something other than a list of
   *   members.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  sendMessage(
    domainId: string,
    accountId: string,
    input: { agentId: string; customerId: string; content: string; at?: Date; messageId?: string },
  ): ResultAsync<void, OperationError<'conversations.sendMessage'>>;
  /**
   * Opens a room: `consultation` (one customer who is a contact) or `group`, with agents of the account.
   *
   * @errors
   * - `validation`: the room kind, customer or agent list is malformed.
   * - `not_found`: no such account, the customer is not a contact, or a member is not one of its
   *   agents (`entity` says which).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  openRoom(
    domainId: string,
    accountId: string,
    input: { kind: 'consultation' | 'group'; customerId?: string; agentIds: string[] },
  ): ResultAsync<Room, OperationError<'conversations.openRoom'>>;
  /**
   * The rooms of an account, oldest first.
   *
   * @errors
   * - `validation`: `domainId`, `accountId` or another argument is malformed; `issues` name each
   *   one.
   * - `not_found`: no active account with this ID in the domain (`entity: "account"`); a reset
   *   account is gone for good.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  rooms(domainId: string, accountId: string): ResultAsync<Room[], OperationError<'conversations.rooms'>>;
};

export function conversationOperations(context: OperationContext): ConversationOperations {
  const { store, directory, clock } = context;

  const recordReply = (tx: StoreTransaction, account: AccountRecord, contact: ContactRecord, reply: AutoReply, at: Date) =>
    recordAutoReply(context, tx, account, contact, reply, at);

  /**
   * Records one message on one account under its one id (R47): the `messageId` its transport
   * gave, else a new one. That id names the message in the history and its event, and, when
   * the transport gave it, also keys the receipt that applies the message once: ids are kept
   * per account and direction; a call whose id was seen with the same message answers the
   * first call's answer and records nothing; with another message it is `id_taken` and records
   * nothing, so no message is ever dropped silently. A message without a transport id gets no
   * receipt.
   */
  const recordOnce = <T>(
    domainId: unknown,
    accountId: unknown,
    incoming: { direction: MessageDirection; givenMessageId: string | undefined; customerId: string; fingerprint: string },
    work: (account: AccountRecord, tx: StoreTransaction, messageId: string) => PromiseLike<Result<T, CxError>>,
  ) =>
    // Inside a transaction's work, `take` ends the work with that err (see `transact`).
    inAccountTransaction(store, domainId, accountId, 'write', async (account, tx, take) => {
      const { direction, givenMessageId: messageId, customerId, fingerprint } = incoming;
      // Made here, before any automatic reply's: messages of one instant are listed by id (R39).
      if (messageId === undefined) return await work(account, tx, newMessageId());
      const receipt = await tx.findReceipt(account.key, direction, messageId);
      if (receipt) {
        // Receipts kept before messages were recorded with them (`message: null`) take any call as a repeat.
        if (receipt.message !== null && receipt.message !== fingerprint) {
          const what = direction === 'incoming' ? 'an incoming' : 'an outgoing';
          return err(ruleError('id_taken', `messageId ${JSON.stringify(messageId)} already names ${what} message of this account with other content, customer or time`));
        }
        return ok(receipt.answer as T);
      }
      const answer = take(await work(account, tx, messageId));
      await tx.putReceipt({ accountKey: account.key, direction, messageId, customerId, message: fingerprint, answer: answer ?? null, at: clock() });
      return ok(answer);
    });

  return narrowed<ConversationOperations>({
    addContact: (domainId, accountId, input) =>
      runOperation(async (take) => {
        const fields = take(parseInput(addContactSchema, input));
        return await inAccountTransaction(store, domainId, accountId, 'write', (account, tx) =>
          straight(async (take) => {
            take(checkChannel(account.settings, fields.channel));
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
            if (existing) await tx.patchContact(contact.accountKey, contact.customerId, { name: contact.name, channel: contact.channel, welcomedAt: contact.welcomedAt });
            else await tx.insertContact(contact);
            await tx.appendEvents([newEvent(context, 'contact.added', account, { customerId: contact.customerId, channel: contact.channel })]);
            if (reply) await recordReply(tx, account, contact, reply, now);
            return ok(reply);
          }),
        );
      }),

    receiveMessage: (domainId, accountId, input) =>
      runOperation(async (take) => {
        const fields = take(parseInput(receiveSchema, input));
        const incoming = {
          direction: 'incoming' as const,
          givenMessageId: fields.messageId,
          customerId: fields.customerId,
          fingerprint: messageFingerprint(fields.customerId, `channel:${fields.channel}`, fields.content, fields.at),
        };
        return await recordOnce(domainId, accountId, incoming, (account, tx, messageId) =>
          straight(async (take) => {
            take(checkChannel(account.settings, fields.channel));
            const known = await tx.findContact(account.key, fields.customerId);
            if (!known) return err(notFound('contact', fields.customerId));
            // An agent's reply goes back through the channel the customer last wrote from (R41).
            const contact = known.channel === fields.channel ? known : { ...known, channel: fields.channel };
            const at = fields.at ?? clock();
            const message = { messageId, senderKind: 'customer' as const, senderId: contact.customerId, senderName: contact.name, channel: fields.channel, content: fields.content, sentAt: at };
            await recordMessage(tx, account, contact, message, newEvent(context, 'message.received', account, { messageId, customerId: contact.customerId, channel: fields.channel }));
            const reply = decideAwayReply(account.settings, at, contact.lastAutoReply);
            if (reply !== null || contact !== known) {
              await tx.patchContact(contact.accountKey, contact.customerId, {
                ...(contact !== known ? { channel: contact.channel } : {}),
                ...(reply !== null ? { lastAutoReply: { kind: reply.kind, at } } : {}),
              });
            }
            if (reply !== null) await recordReply(tx, account, contact, reply, at);
            return ok(reply);
          }),
        );
      }),

    sendMessage: (domainId, accountId, input) =>
      runOperation(async (take) => {
        const fields = take(parseInput(sendSchema, input));
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        let agentName = fields.agentId;
        try {
          const [member] = await directory.get(domain, [fields.agentId]);
          if (typeof member?.name === 'string') agentName = member.name;
        } catch (cause) {
          return err(directoryFailure(cause));
        }
        const outgoing = {
          direction: 'outgoing' as const,
          givenMessageId: fields.messageId,
          customerId: fields.customerId,
          fingerprint: messageFingerprint(fields.customerId, `agent:${fields.agentId}`, fields.content, fields.at),
        };
        const sent = await recordOnce(domainId, accountId, outgoing, async (account, tx, messageId) => {
          if (!account.agentIds.includes(fields.agentId)) return err(notFound('agent', fields.agentId));
          const contact = await tx.findContact(account.key, fields.customerId);
          if (!contact) return err(notFound('contact', fields.customerId));
          // The reply goes out through the channel the customer last wrote from (R41): not when it is off (R43).
          const channelOff = checkChannel(account.settings, contact.channel);
          if (channelOff.isErr()) return err(channelOff.error);
          const message = { messageId, senderKind: 'agent' as const, senderId: fields.agentId, senderName: agentName, channel: contact.channel, content: fields.content, sentAt: fields.at ?? clock() };
          await recordMessage(tx, account, contact, message, newEvent(context, 'message.sent', account, { messageId, agentId: fields.agentId, customerId: contact.customerId }));
          return ok(undefined);
        });
        // A repeat answers what the first call answered: nothing (a receipt keeps it as `null`).
        return sent.map(() => undefined);
      }),

    openRoom: (domainId, accountId, input) =>
      runOperation(async (take) => {
        const fields = take(parseInput(openRoomSchema, input));
        return await inAccountTransaction(store, domainId, accountId, 'write', async (account, tx) => {
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
          await tx.appendEvents([newEvent(context, 'room.opened', account, { roomId: room.roomId, kind: room.kind })]);
          return ok(toRoom(room));
        });
      }),

    rooms: (domainId, accountId) =>
      runOperation(() =>
        inAccountTransaction(store, domainId, accountId, 'read', async (account, tx) => ok((await tx.listRooms(account.key)).map(toRoom))),
      ),

    ...conversationReads(context),
  });
}

/** Fails with `channel_disconnected` when an external channel is off in the account's settings (R43). */
function checkChannel(settings: AccountSettings, channel: Channel): Result<void, CxError> {
  if (channel === 'lineworks' || settings.channels[channel]) return ok(undefined);
  return err(ruleError('channel_disconnected', `the ${channel} channel of this account is disconnected`));
}

/**
 * What tells one message from another under the same transport id (R47): the customer, the
 * channel (incoming) or the agent (outgoing), the content, and `at` when the call gave it (a
 * retry without `at` is the same message, whatever the clock says by then).
 */
function messageFingerprint(customerId: string, via: string, content: string, at: Date | undefined): string {
  return JSON.stringify([customerId, via, content, at === undefined ? null : at.getTime()]);
}

import { newEvent } from '../events/new-event.js';
import { newMessageId } from '../internal/message-id.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord, Channel, ContactRecord, EventDraft, SenderKind } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import type { AutoReply } from './auto-reply.js';

/**
 * A message to record: its id, who wrote it, and its text. The id is the message's one id
 * (R47): in the history, in its event and in backups.
 */
export type MessageToRecord = {
  messageId: string;
  senderKind: SenderKind;
  senderId: string;
  senderName: string;
  channel: Channel;
  content: string;
  sentAt: Date;
};

/**
 * Stores a message of a conversation in the history with the event that tells it (built with
 * the same `messageId`), whose `seq` the message keeps (backups take the messages up to a
 * `seq`, R45). The names are the ones in use now: the account's and the customer's (R39).
 */
export async function recordMessage(
  tx: StoreTransaction,
  account: AccountRecord,
  contact: ContactRecord,
  message: MessageToRecord,
  event: EventDraft,
): Promise<void> {
  const [seq] = await tx.appendEvents([event]);
  await tx.appendHistory({
    accountKey: account.key,
    accountName: account.name,
    customerId: contact.customerId,
    customerName: contact.name,
    eventSeq: seq ?? 0,
    ...message,
  });
}

/** Stores an automatic reply, sent in the account's name (R22, R23), under a new message id. */
export function recordAutoReply(
  context: Pick<OperationContext, 'clock' | 'actor'>,
  tx: StoreTransaction,
  account: AccountRecord,
  contact: ContactRecord,
  reply: AutoReply,
  sentAt: Date,
): Promise<void> {
  const messageId = newMessageId();
  const message = { messageId, senderKind: 'account' as const, senderId: account.id, senderName: account.name, channel: contact.channel, content: reply.text, sentAt };
  return recordMessage(tx, account, contact, message, newEvent(context, 'auto_reply.sent', account, { messageId, customerId: contact.customerId, kind: reply.kind }));
}

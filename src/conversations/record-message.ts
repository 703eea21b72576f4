import { newEvent } from '../events/new-event.js';
import { newMessageId } from '../internal/message-id.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord, Channel, ContactRecord, EventDraft, SenderKind } from '../ports/records.js';
import type { StoreTransaction } from '../ports/store.js';
import type { AutoReply } from './auto-reply.js';

/** Who wrote a message, and its text. */
export type MessageToRecord = {
  senderKind: SenderKind;
  senderId: string;
  senderName: string;
  channel: Channel;
  content: string;
  sentAt: Date;
};

/**
 * Stores a message of a conversation in the history with the event that tells it, whose `seq`
 * the message keeps (backups take the messages up to a `seq`, R45). The names are the ones in
 * use now: the account's and the customer's (R39). `event` builds the event from the
 * message's id: the transport's `messageId` when given (R47), else a new one.
 */
export async function recordMessage(
  tx: StoreTransaction,
  account: AccountRecord,
  contact: ContactRecord,
  message: MessageToRecord,
  event: (messageId: string) => EventDraft,
  transportMessageId?: string,
): Promise<void> {
  const messageId = transportMessageId ?? newMessageId();
  const [seq] = await tx.appendEvents([event(messageId)]);
  await tx.appendHistory({
    messageId,
    accountKey: account.key,
    accountName: account.name,
    customerId: contact.customerId,
    customerName: contact.name,
    eventSeq: seq ?? 0,
    ...message,
  });
}

/** Stores an automatic reply, sent in the account's name (R22, R23). */
export function recordAutoReply(
  context: Pick<OperationContext, 'clock' | 'actor'>,
  tx: StoreTransaction,
  account: AccountRecord,
  contact: ContactRecord,
  reply: AutoReply,
  sentAt: Date,
): Promise<void> {
  const message = { senderKind: 'account' as const, senderId: account.id, senderName: account.name, channel: contact.channel, content: reply.text, sentAt };
  return recordMessage(tx, account, contact, message, (messageId) =>
    newEvent(context, 'auto_reply.sent', account, { messageId, customerId: contact.customerId, kind: reply.kind }),
  );
}

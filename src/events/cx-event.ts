/**
 * The events `cx-accounts` appends for every change (R30, R31), typed by `type`.
 *
 * @module
 */
import type { AutoReplyKind } from '../ports/records.js';

/**
 * The least `data` each event type holds (R31); more fields may be added later, so read
 * the ones you need. Events carry ids, never a customer's name or a message's content.
 *
 * @category Events
 */
export type CxEventData = {
  'product.set': { productId: string; seatLimit: number; quantity: number };
  'account.created': { name: string; productId: string; agentIds: string[]; gainedAccessIds: string[] };
  'account.updated': { fields: string[] };
  'account.product_changed': { from: string; to: string };
  'account.reset': {
    deletedRoomIds: string[];
    deletedBotIds: string[];
    keptBotIds: string[];
    releasedAgentIds: string[];
    lostAccessIds: string[];
  };
  'agents.added': { memberIds: string[]; gainedAccessIds: string[] };
  'agents.removed': { memberIds: string[]; roomIds: string[]; lostAccessIds: string[] };
  'settings.updated': { fields: string[] };
  'holiday.added': { holidayId: string; start: string; end: string };
  'holiday.removed': { holidayId: string };
  'contact.added': { customerId: string; channel: string };
  'message.received': { messageId: string; customerId: string; channel: string };
  'auto_reply.sent': { messageId: string; customerId: string; kind: AutoReplyKind };
  'message.sent': { messageId: string; agentId: string; customerId: string };
  'room.opened': { roomId: string; kind: 'consultation' | 'group' };
  'bot.registered': { botId: string };
  'bot.attached': { botId: string };
  'bot.removed': { botId: string };
  'member.departed': { memberId: string; accountIds: string[]; replacementId: string | null };
  'customer.erased': { customerId: string };
  'backup.requested': { jobId: string };
  'backup.ready': { jobId: string };
  'backup.failed': { jobId: string };
  'backup.cancelled': { jobId: string };
  'webhook.added': { endpointId: string };
  'webhook.removed': { endpointId: string };
  'webhook.disabled': { endpointId: string };
  'webhook.enabled': { endpointId: string };
};

/**
 * Every event type.
 *
 * @category Events
 */
export type CxEventType = keyof CxEventData;

/**
 * One event of a domain's log (R30). Switch on `type` and `data` is typed:
 *
 * @example
 * ```ts
 * import type { CxEvent } from 'cx-accounts';
 *
 * function handle(event: CxEvent): void {
 *   switch (event.type) {
 *     case 'agents.removed':
 *       console.log('rooms handed over:', event.data.roomIds);
 *       break;
 *     case 'account.reset':
 *       console.log('tear down rooms:', event.data.deletedRoomIds);
 *       break;
 *   }
 * }
 * ```
 *
 * @category Events
 */
export type CxEvent = {
  [T in CxEventType]: {
    /** 1, 2, 3, … per domain, with no gap and no repeat, in commit order. */
    seq: number;
    domainId: string;
    type: T;
    /** `null` for domain-level events (`product.set`, `member.departed`, `customer.erased`, backups, webhooks). */
    accountId: string | null;
    /** The account's `uid`: tells apart the accounts that had one ID before and after a reset. */
    accountUid: string | null;
    /** The clock's time of the change. */
    at: Date;
    /** Who acted, as given to `cx.as(actor)`; `null` for calls on `cx` itself. */
    actor: string | null;
    data: CxEventData[T];
  };
}[CxEventType];

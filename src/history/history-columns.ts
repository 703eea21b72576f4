import type { HistoryRow } from '../ports/records.js';
import { formatSentAt } from './sent-at.js';

/**
 * The columns of a history backup file (R26), in order: the CSV header, and the keys of each
 * JSONL object (R45).
 */
export const HISTORY_FILE_COLUMNS = [
  'account_id',
  'account_name',
  'customer_name',
  'sent_at',
  'sender',
  'content',
  'account_uid',
  'customer_id',
  'channel',
  'sender_kind',
] as const;

/**
 * The cells of one message in {@link HISTORY_FILE_COLUMNS} order, before any quoting:
 * `account_name` and the names are the ones in use when the message was sent, `sent_at` is
 * ISO 8601 with the account's UTC offset.
 *
 * @example
 * ```ts
 * declare const row: import('cx-accounts/store').HistoryRow;
 * historyCells(row); // ['help', 'Help', 'Lee', '2026-11-25T18:30:00.000+09:00', 'Lee', 'hello', '6f1c…', 'c1', 'line', 'customer']
 * ```
 */
export function historyCells(row: HistoryRow): string[] {
  return [
    row.accountId,
    row.accountName,
    row.customerName,
    formatSentAt(row.sentAt, row.timeZone),
    row.senderName,
    row.content,
    row.accountKey,
    row.customerId,
    row.channel,
    row.senderKind,
  ];
}

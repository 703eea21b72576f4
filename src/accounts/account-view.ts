import type { AccountRecord, ImageInfo } from '../ports/records.js';
import type { AccountSettings } from '../schedule/schedule-types.js';

/**
 * A consultation account as operations return it.
 *
 * @example
 * ```ts
 * const account = (await cx.accounts.get('acme', 'help')).unwrapOr(null);
 * console.log(account?.contactUrl, account?.agentIds.length);
 * ```
 *
 * @category Accounts
 */
export type Account = {
  /** The account ID (R6); never changes. */
  id: string;
  /**
   * Opaque and unique forever: tells apart the accounts that had the same ID before and after
   * a reset (R6). Events carry it as `accountUid`.
   */
  uid: string;
  /** The name customers see (R5). */
  name: string;
  description: string | null;
  /** What is known of the image; the bytes come from `accounts.image`. */
  image: ImageInfo | null;
  productId: string;
  productName: string;
  /** The product's seat limit: the most agents this account may have (R4, R50). */
  seatLimit: number;
  /** Agents, in the order they were added. */
  agentIds: string[];
  /** The "add as contact" URL (R11); fixed for the account's life. */
  contactUrl: string;
  activatedAt: Date;
  /** Raised by 1 on every successful change (R12). */
  version: number;
  settings: AccountSettings;
};

/**
 * One row of `accounts.list` (R10).
 *
 * @category Accounts
 */
export type AccountSummary = {
  id: string;
  name: string;
  productName: string;
  /** The product's seat limit (R50): `agentCount` of `seatLimit` seats are taken. */
  seatLimit: number;
  contactUrl: string;
  activatedAt: Date;
  agentCount: number;
};

/**
 * The public view of a stored account.
 *
 * @category Accounts
 */
export function toAccount(record: AccountRecord, productName: string, seatLimit: number): Account {
  return {
    id: record.id,
    uid: record.key,
    name: record.name,
    description: record.description,
    image: record.image,
    productId: record.productId,
    productName,
    seatLimit,
    agentIds: record.agentIds,
    contactUrl: record.contactUrl,
    activatedAt: record.activatedAt,
    version: record.version,
    settings: record.settings,
  };
}

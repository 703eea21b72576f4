/**
 * `cx-accounts/store`: what an author of a store implements. Apps do not need it: they take
 * a store from `cx-accounts/memory` or `cx-accounts/sql` and hand it to `createCxAccounts`.
 *
 * A store implements {@link Store}: all-or-nothing transactions over narrow, domain-named
 * methods ({@link StoreTransaction}) that read and write the records below. Check a store with
 * `describeStoreConformance` from `cx-accounts/testing`; the guide "Writing a store" walks
 * through it.
 *
 * @example
 * ```ts
 * import type { Store } from 'cx-accounts/store';
 * import { describeStoreConformance } from 'cx-accounts/testing';
 *
 * declare function openMyStore(): Promise<Store & { close(): Promise<void> }>;
 * describeStoreConformance({ name: 'my store', setup: openMyStore, teardown: (store) => store.close() });
 * ```
 *
 * @module cx-accounts/store
 */
export type * from './ports/store.js';
export type * from './ports/records.js';
export type * from './ports/webhook-port.js';
export { ABSENCE_REPLY_KINDS, AUTO_REPLY_KINDS, BACKUP_FORMATS, BACKUP_STATUSES, BOT_ORIGINS, CHANNELS, ROOM_KINDS, SENDER_KINDS } from './ports/records.js';
export { StoreError, asStoreError, storeFailureOf } from './ports/store-error.js';

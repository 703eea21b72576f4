import type { ResultAsync } from 'neverthrow';
import type { CxError } from './errors.js';

/** Codes every operation may answer: the store failed, a defect of ours, bad options. */
const SERVICE = ['store_failure', 'internal', 'config_invalid'] as const;
/** Operations that ask the host's member directory may also answer `directory_failure`. */
const DIRECTORY = 'directory_failure';
const EDIT = ['validation', 'not_found', 'version_conflict'] as const;

/**
 * The error codes each operation can answer, by `group.operation`. The conformance suite
 * records every error it sees and checks it against this table, so a code missing here
 * fails a test rather than a host's exhaustive `switch`.
 *
 * @category Errors
 */
export const OPERATION_ERROR_CODES = {
  'products.set': ['validation', 'quantity_below_usage', 'seat_limit_exceeded', ...SERVICE],
  'products.overview': ['validation', ...SERVICE],
  'members.search': ['validation', DIRECTORY, ...SERVICE],
  'members.depart': ['validation', 'not_found', 'last_agent', DIRECTORY, ...SERVICE],
  'accounts.create': ['validation', 'not_found', 'product_unavailable', 'seat_limit_exceeded', 'id_taken', 'name_taken', DIRECTORY, ...SERVICE],
  'accounts.get': ['validation', 'not_found', ...SERVICE],
  'accounts.list': ['validation', ...SERVICE],
  'accounts.update': [...EDIT, 'name_taken', ...SERVICE],
  'accounts.changeProduct': [...EDIT, 'product_unavailable', 'seat_limit_exceeded', ...SERVICE],
  'accounts.reset': [...EDIT, ...SERVICE],
  'accounts.qrCode': ['validation', 'not_found', ...SERVICE],
  'accounts.image': ['validation', 'not_found', ...SERVICE],
  'agents.add': [...EDIT, 'already_agent', 'seat_limit_exceeded', DIRECTORY, ...SERVICE],
  'agents.remove': [...EDIT, 'last_agent', ...SERVICE],
  'agents.set': [...EDIT, 'seat_limit_exceeded', DIRECTORY, ...SERVICE],
  'agents.access': ['validation', ...SERVICE],
  'settings.update': [...EDIT, 'holiday_in_past', 'holiday_overlap', ...SERVICE],
  'holidays.add': [...EDIT, 'holiday_in_past', 'holiday_overlap', ...SERVICE],
  'holidays.remove': [...EDIT, ...SERVICE],
  'conversations.addContact': ['validation', 'not_found', 'channel_disconnected', ...SERVICE],
  'conversations.receiveMessage': ['validation', 'not_found', 'channel_disconnected', 'id_taken', ...SERVICE],
  'conversations.sendMessage': ['validation', 'not_found', 'channel_disconnected', 'id_taken', DIRECTORY, ...SERVICE],
  'conversations.openRoom': ['validation', 'not_found', ...SERVICE],
  'conversations.rooms': ['validation', 'not_found', ...SERVICE],
  'conversations.history': ['validation', ...SERVICE],
  'conversations.contacts': ['validation', 'not_found', ...SERVICE],
  'customers.erase': ['validation', ...SERVICE],
  'bots.register': ['validation', 'not_found', 'id_taken', ...SERVICE],
  'bots.list': ['validation', 'not_found', ...SERVICE],
  'bots.attach': ['validation', 'not_found', ...SERVICE],
  'bots.remove': ['validation', 'not_found', ...SERVICE],
  'history.startBackup': ['validation', ...SERVICE],
  'history.job': ['validation', 'not_found', ...SERVICE],
  'history.download': ['validation', 'not_found', 'backup_not_ready', ...SERVICE],
  'history.downloadStream': ['validation', 'not_found', 'backup_not_ready', ...SERVICE],
  'history.cancel': ['validation', 'not_found', ...SERVICE],
  'history.runBackup': ['validation', 'not_found', ...SERVICE],
  'history.runPendingBackups': ['validation', ...SERVICE],
  'history.deleteExpiredBackups': ['validation', ...SERVICE],
  'history.drain': [...SERVICE],
  'events.read': ['validation', ...SERVICE],
  'events.subscribe': ['validation', ...SERVICE],
  'webhooks.add': ['validation', ...SERVICE],
  'webhooks.list': ['validation', ...SERVICE],
  'webhooks.remove': ['validation', 'not_found', ...SERVICE],
  'webhooks.enable': ['validation', 'not_found', ...SERVICE],
  'webhooks.deliveries': ['validation', 'not_found', ...SERVICE],
  'webhooks.runPendingDeliveries': ['validation', ...SERVICE],
} as const satisfies Record<string, readonly CxError['code'][]>;

/**
 * An operation named in {@link OPERATION_ERROR_CODES}.
 *
 * @category Errors
 */
export type OperationName = keyof typeof OPERATION_ERROR_CODES;

/**
 * The variant of {@link CxError} of one code.
 *
 * @category Errors
 */
export type CxErrorOf<C extends CxError['code']> = CxError extends infer E
  ? E extends { code: infer K }
    ? C extends K
      ? E & { code: C }
      : never
    : never
  : never;

/**
 * The errors one operation can answer: an exhaustive `switch` on `error.code` needs no
 * impossible case.
 *
 * @example
 * ```ts
 * const created = await cx.accounts.create('acme', input);
 * if (created.isErr()) {
 *   switch (created.error.code) {
 *     case 'seat_limit_exceeded':
 *       console.log(`at most ${created.error.seatLimit} agents on ${created.error.productId}`);
 *       break;
 *     case 'name_taken':
 *     case 'id_taken':
 *       console.log('pick another');
 *       break;
 *     default:
 *       console.error(created.error.message);
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export type OperationError<N extends OperationName> = CxErrorOf<(typeof OPERATION_ERROR_CODES)[N][number]>;

/** A group of operations as implemented: every error is a `CxError`. */
export type WideOperations<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => ResultAsync<infer R, unknown> ? (...args: A) => ResultAsync<R, CxError> : T[K];
};

/**
 * A group implemented with `CxError` results, typed with the narrow errors its interface
 * declares (see {@link OPERATION_ERROR_CODES}: the conformance suite checks them at run time).
 *
 * The bound `T extends WideOperations<T>` states what the narrowing is: every operation of `T`
 * is one of `CxError` results with a narrower error type, so `T` is a subtype of the
 * implementation's type and the assertion below is a checked downcast (tsc refuses it for a
 * `T` whose errors are not `CxError`s, or whose operations differ in arguments or values).
 */
export function narrowed<T extends WideOperations<T>>(operations: WideOperations<T>): T {
  return operations as T;
}

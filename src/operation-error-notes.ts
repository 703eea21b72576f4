import type { CxError } from './errors.js';
import type { OPERATION_ERROR_CODES, OperationName } from './operation-errors.js';

/**
 * For each operation, each error code it can answer and when: exactly the codes of
 * {@link OPERATION_ERROR_CODES} (the type refuses a missing or an extra one). The "Errors"
 * section of each operation's TSDoc is written from this table by
 * `scripts/operation-error-docs.ts`, and `test/docs/operation-error-docs.test.ts` fails when
 * a page and the table differ. Not exported from the package: the pages are what readers see.
 */
type OperationErrorNotes = { readonly [N in OperationName]: { readonly [C in (typeof OPERATION_ERROR_CODES)[N][number]]: string } };

/**
 * The same three codes on every operation, said once: a page lists codes with the same text
 * as one item.
 */
const EVERY_OPERATION =
  'as on every operation: the store failed (`store_failure`; its `outcome` says whether a change may have been kept), a defect of cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are wrong (`config_invalid`).';
const SERVICE = {
  store_failure: EVERY_OPERATION,
  internal: EVERY_OPERATION,
  config_invalid: EVERY_OPERATION,
} as const satisfies Partial<Record<CxError['code'], string>>;

const DIRECTORY = 'your member directory threw or answered something other than a list of members.';
const DOMAIN_ONLY = '`domainId` (or an option) is malformed; `issues` name the argument.';
const ACCOUNT_ARGS = '`domainId`, `accountId` or another argument is malformed; `issues` name each one.';
const NO_ACCOUNT = 'no active account with this ID in the domain (`entity: "account"`); a reset account is gone for good.';
const VERSION = '`options.expectedVersion` was given and the account is at another version: someone changed it first. Read it again and retry.';

export const OPERATION_ERROR_NOTES = {
  'products.set': {
    validation: '`domainId` or a field of the product is malformed (`seatLimit` and `quantity` are whole numbers ≥ 1).',
    quantity_below_usage: 'the new `quantity` is below the number of active accounts on the product (`inUse`, R1).',
    seat_limit_exceeded: 'the new `seatLimit` is below the agent count of an account on the product (`requested`, R4).',
    ...SERVICE,
  },
  'products.overview': { validation: DOMAIN_ONLY, ...SERVICE },
  'members.search': { validation: '`domainId`, the query or `limit` is malformed.', directory_failure: DIRECTORY, ...SERVICE },
  'members.depart': {
    validation: '`domainId`, `memberId` or `replacementId` is malformed, or the replacement is the departing member.',
    not_found: 'the replacement is not a member of the domain in your directory (`entity: "member"`).',
    last_agent: 'the member is the only agent of some accounts and no `replacementId` was given; `accountIds` lists them (R35).',
    directory_failure: DIRECTORY,
    ...SERVICE,
  },
  'accounts.create': {
    validation: 'the ID, name, description, image or agent list is malformed or out of bounds; `issues` name each field.',
    not_found: 'the product is not one of the domain (`entity: "product"`), or an agent is not a member in your directory (`entity: "member"`).',
    product_unavailable: 'every unit of the product is in use by an active account (`quantity`, `inUse`, R3).',
    seat_limit_exceeded: "more agents than the product's `seatLimit` (R4).",
    id_taken: 'an active account of any domain has this ID (R5).',
    name_taken: 'an active account of the domain has this name, after Unicode normalisation (R6).',
    directory_failure: DIRECTORY,
    ...SERVICE,
  },
  'accounts.get': { validation: ACCOUNT_ARGS, not_found: NO_ACCOUNT, ...SERVICE },
  'accounts.list': { validation: '`domainId`, `limit` (1–200) or `cursor` is malformed.', ...SERVICE },
  'accounts.update': {
    validation: 'a field is malformed or out of bounds (name, description, image); `issues` name it.',
    not_found: NO_ACCOUNT,
    version_conflict: VERSION,
    name_taken: 'another active account of the domain has the new name (R6).',
    ...SERVICE,
  },
  'accounts.changeProduct': {
    validation: ACCOUNT_ARGS,
    not_found: 'no such account, or the product is not one of the domain (`entity` says which).',
    version_conflict: VERSION,
    product_unavailable: 'every unit of the new product is in use (R3).',
    seat_limit_exceeded: "the account has more agents than the new product's `seatLimit` (R4).",
    ...SERVICE,
  },
  'accounts.reset': { validation: ACCOUNT_ARGS, not_found: NO_ACCOUNT, version_conflict: VERSION, ...SERVICE },
  'accounts.qrCode': { validation: '`domainId`, `accountId`, `format` or `size` (64–2048) is malformed.', not_found: NO_ACCOUNT, ...SERVICE },
  'accounts.image': { validation: ACCOUNT_ARGS, not_found: NO_ACCOUNT, ...SERVICE },
  'agents.add': {
    validation: 'the member list is empty, has a duplicate or a malformed ID.',
    not_found: 'no such account, or a member is not in your directory (`entity` says which).',
    version_conflict: VERSION,
    already_agent: 'a member is already an agent of the account.',
    seat_limit_exceeded: "the account would have more agents than its product's `seatLimit` (R4).",
    directory_failure: DIRECTORY,
    ...SERVICE,
  },
  'agents.remove': {
    validation: 'the list is empty, has a duplicate or a malformed ID.',
    not_found: 'no such account, or a member is not one of its agents (`entity` says which; the first such member); nothing is removed.',
    version_conflict: VERSION,
    last_agent: 'the account would be left without an agent (R16).',
    ...SERVICE,
  },
  'agents.set': {
    validation: 'the list is empty, has a duplicate or a malformed ID (an account keeps at least one agent).',
    not_found: 'no such account, or a member is not in your directory (`entity` says which).',
    version_conflict: VERSION,
    seat_limit_exceeded: "more agents than the product's `seatLimit` (R4).",
    directory_failure: DIRECTORY,
    ...SERVICE,
  },
  'agents.access': { validation: '`domainId` or `memberId` is malformed.', ...SERVICE },
  'settings.update': {
    validation: 'a setting is malformed: a time zone that is not IANA, hours that overlap or are not `HH:mm`, a message too long, …; `issues` name each one.',
    not_found: 'no such account, or a holiday of the list names an ID the account does not have (`entity` says which).',
    version_conflict: VERSION,
    holiday_in_past: "a new holiday starts before today in the account's time zone.",
    holiday_overlap: 'two holidays of the list overlap.',
    ...SERVICE,
  },
  'holidays.add': {
    validation: 'the holiday is malformed (dates not `YYYY-MM-DD`, `end` before `start`).',
    not_found: NO_ACCOUNT,
    version_conflict: VERSION,
    holiday_in_past: "it starts before today in the account's time zone.",
    holiday_overlap: 'it overlaps a holiday the account has.',
    ...SERVICE,
  },
  'holidays.remove': {
    validation: ACCOUNT_ARGS,
    not_found: 'no such account, or it has no holiday with this ID (`entity` says which).',
    version_conflict: VERSION,
    ...SERVICE,
  },
  'conversations.addContact': {
    validation: 'the customer ID, name or channel is malformed.',
    not_found: NO_ACCOUNT,
    channel_disconnected: "the channel is switched off in the account's settings (R43); nothing is recorded.",
    ...SERVICE,
  },
  'conversations.receiveMessage': {
    validation: 'the customer ID, content, channel, `at` or `messageId` is malformed.',
    not_found: 'no such account, or the customer is not one of its contacts (`entity` says which).',
    channel_disconnected: "the channel is switched off in the account's settings (R43); nothing is recorded.",
    id_taken: 'the `messageId` already names an incoming message of the account with another customer, content or time (R47); nothing is recorded. The same message again answers what the first call answered.',
    ...SERVICE,
  },
  'conversations.sendMessage': {
    validation: 'the agent ID, customer ID, content, `at` or `messageId` is malformed.',
    not_found: 'no such account, the customer is not one of its contacts, or the sender is not (or no longer) one of its agents (`entity` says which, R37).',
    channel_disconnected: "the customer's last channel is switched off in the account's settings, so the reply cannot go out (R43); nothing is recorded.",
    id_taken: 'the `messageId` already names an outgoing message of the account with another sender, customer, content or time (R47); nothing is recorded. The same message again answers `undefined` as the first call did.',
    directory_failure: DIRECTORY,
    ...SERVICE,
  },
  'conversations.openRoom': {
    validation: 'the room kind, customer or agent list is malformed.',
    not_found: 'no such account, the customer is not a contact, or a member is not one of its agents (`entity` says which).',
    ...SERVICE,
  },
  'conversations.rooms': { validation: ACCOUNT_ARGS, not_found: NO_ACCOUNT, ...SERVICE },
  'conversations.history': { validation: '`domainId` or the query (account ID, customer, time range, `limit`, `cursor`) is malformed.', ...SERVICE },
  'conversations.contacts': { validation: '`domainId`, `accountId`, `limit` or `cursor` is malformed.', not_found: NO_ACCOUNT, ...SERVICE },
  'customers.erase': { validation: '`domainId` or `customerId` is malformed.', ...SERVICE },
  'bots.register': {
    validation: 'the bot ID, name or origin is malformed.',
    not_found: NO_ACCOUNT,
    id_taken: 'a bot with this ID is registered in the domain.',
    ...SERVICE,
  },
  'bots.list': { validation: '`domainId` or `options.accountId` is malformed.', not_found: '`options.accountId` names no active account of the domain.', ...SERVICE },
  'bots.attach': {
    validation: '`domainId`, `botId` or `accountId` is malformed, or the bot cannot be attached (attached already, or not a `dev_console` bot, R38).',
    not_found: 'no such bot, or no such active account (`entity` says which).',
    ...SERVICE,
  },
  'bots.remove': { validation: '`domainId` or `botId` is malformed.', not_found: 'the domain has no bot with this ID.', ...SERVICE },
  'history.startBackup': { validation: '`domainId` or the request (format, accounts, time range) is malformed.', ...SERVICE },
  'history.job': { validation: '`domainId` or `jobId` is malformed.', not_found: 'no such job, or it is past its retention and deleted.', ...SERVICE },
  'history.download': {
    validation: '`domainId` or `jobId` is malformed.',
    not_found: 'no such job, or it is past its retention and deleted.',
    backup_not_ready: 'the job is not `ready`: still pending or running (try again later), or failed or cancelled (start a new one); the message says which.',
    ...SERVICE,
  },
  'history.downloadStream': {
    validation: '`domainId` or `jobId` is malformed.',
    not_found: 'no such job, or it is past its retention and deleted.',
    backup_not_ready: 'the job is not `ready`: still pending or running (try again later), or failed or cancelled (start a new one); the message says which.',
    ...SERVICE,
  },
  'history.cancel': { validation: '`domainId` or `jobId` is malformed.', not_found: 'no such job, or it is past its retention and deleted.', ...SERVICE },
  'history.runBackup': { validation: '`domainId` or `jobId` is malformed.', not_found: 'no such job.', ...SERVICE },
  'history.runPendingBackups': { validation: '`options.limit` is not a whole number in range.', ...SERVICE },
  'history.deleteExpiredBackups': { validation: '`options.limit` is not a whole number in range.', ...SERVICE },
  'history.drain': { ...SERVICE },
  'events.read': { validation: '`domainId`, `after` or `limit` is malformed.', ...SERVICE },
  'events.subscribe': { validation: '`domainId`, `after` or `signal` is malformed.', ...SERVICE },
  'webhooks.add': { validation: '`domainId` or the endpoint is malformed: a URL that is not absolute `https:` (or `http:` with `webhooks.allowHttp`), longer than 2,000 characters or with credentials; an unknown event type in `types`; a description too long. Also when the store keeps no webhooks.', ...SERVICE },
  'webhooks.list': { validation: '`domainId` is malformed, or the store keeps no webhooks.', ...SERVICE },
  'webhooks.remove': { validation: '`domainId` or `endpointId` is malformed.', not_found: 'the domain has no endpoint with this id (`entity: \'webhook\'`).', ...SERVICE },
  'webhooks.enable': { validation: '`domainId` or `endpointId` is malformed.', not_found: 'the domain has no endpoint with this id (`entity: \'webhook\'`).', ...SERVICE },
  'webhooks.deliveries': { validation: '`domainId`, `endpointId`, `limit` or `cursor` is malformed.', not_found: 'the domain has no endpoint with this id (`entity: \'webhook\'`).', ...SERVICE },
  'webhooks.runPendingDeliveries': { validation: 'the store keeps no webhooks.', ...SERVICE },
} as const satisfies OperationErrorNotes;

/**
 * `cx-accounts`: the rules and data of customer-consultation accounts.
 *
 * Start with {@link createCxAccounts}. Every operation returns a neverthrow `ResultAsync`;
 * `Result`, `ResultAsync`, `ok` and `err` are re-exported so one import is enough.
 *
 * @module cx-accounts
 */
export { createCxAccounts, type CxAccounts, type CxAccountsOfDomain, type CxAccountsOptions } from './cx-accounts.js';
export type { CxDomain, DomainBound, DomainBoundGroup, DomainFree } from './domain-handle.js';
export { ok, err, okAsync, errAsync, Result, ResultAsync } from 'neverthrow';
export type { CxError, NotFoundEntity, PlainRuleErrorCode, RuleErrorCode, StoreFailureOutcome, ValidationIssue } from './errors.js';
export { OPERATION_ERROR_CODES, type CxErrorOf, type OperationError, type OperationName } from './operation-errors.js';
export { isCxError } from './errors.js';
export { formatCxError, cxErrorLocale, CX_ERROR_LOCALES, type CxErrorLocale } from './format-cx-error.js';
export type { Member, MemberDirectory } from './ports/member-directory.js';
// Store-author types (Store, StoreTransaction, the records) live in `cx-accounts/store`; the
// root keeps the record shapes apps meet in answers and inputs.
export type { AbsenceReplyKind, AutoReplyKind, BackupFormat, BackupStatus, BotOrigin, Channel, ImageInfo, RoomKind, SenderKind } from './ports/records.js';
export type { Product, ProductOverview, ProductUsageView, ProductOperations } from './products/product-operations.js';
export type { Account, AccountSummary } from './accounts/account-view.js';
export type {
  AccountOperations,
  AccountPage,
  CreateAccountInput,
  ImageInput,
  ResetReport,
  UpdateAccountInput,
} from './accounts/account-operations.js';
export type { ChangeOptions } from './accounts/change-account.js';
export type { QrCodeOptions } from './accounts/qr-code.js';
export type { AgentAccess, AgentOperations } from './agents/agent-operations.js';
export type { DepartOptions, DepartReport } from './members/member-departure.js';
export type { CxEvent, CxEventData, CxEventType } from './events/cx-event.js';
export type { EventOperations, EventPage, SubscribeOptions } from './events/event-operations.js';
export type { WebhookOperations, WebhookDelivery, AddWebhookInput, DeliveryReport } from './webhooks/webhook-operations.js';
export type { WebhookEndpoint } from './webhooks/webhook-endpoint.js';
export type { WebhookOptions, WebhookFetch } from './webhooks/webhook-options.js';
export type { WebhookStatus } from './ports/webhook-port.js';
export { toCloudEvent, type CloudEvent, type CloudEventOptions } from './events/cloud-event.js';
export type { Contact, ConversationReads, HistoryMessage, HistoryQuery, Page } from './conversations/conversation-reads.js';
export type { CustomerOperations, ErasureReport } from './customers/customer-operations.js';
export type { MemberOperations } from './members/member-operations.js';
export type { SettingsInput, HolidayInput, SettingsOperations, HolidayOperations } from './settings/settings-operations.js';
export type { AutoReply } from './conversations/auto-reply.js';
export type { ConversationOperations, Room } from './conversations/conversation-operations.js';
export type { Bot, BotOperations } from './bots/bot-operations.js';
export type { BackupJob, BackupOptions, BackupRequest, BackupRunReport, HistoryOperations } from './history/history-operations.js';
export { PNG_LIMITS } from './accounts/png-image.js';
// The pure schedule functions and their types: the whole of `cx-accounts/schedule`.
export * from './schedule-entry.js';

import { err } from 'neverthrow';
import { accountOperations, type AccountOperations } from './accounts/account-operations.js';
import { contactUrlBaseProblem } from './accounts/contact-url.js';
import { agentOperations, type AgentOperations } from './agents/agent-operations.js';
import { botOperations, type BotOperations } from './bots/bot-operations.js';
import { conversationOperations, type ConversationOperations } from './conversations/conversation-operations.js';
import { validationError, type CxError, type ValidationIssue } from './errors.js';
import { historyOperations, type HistoryOperations, type BackupOptions } from './history/history-operations.js';
import { memberOperations, type MemberOperations } from './members/member-operations.js';
import type { OperationContext } from './operation-context.js';
import type { MemberDirectory } from './ports/member-directory.js';
import type { Store } from './ports/store.js';
import { productOperations, type ProductOperations } from './products/product-operations.js';
import { runOperation } from './run-operation.js';
import { timeZoneProblem } from './schedule/time-zone.js';
import { holidayOperations, settingsOperations, type HolidayOperations, type SettingsOperations } from './settings/settings-operations.js';

/**
 * What {@link createCxAccounts} takes.
 *
 * @category Setup
 */
export type CxAccountsOptions = {
  /** Where data is kept: `memoryStore()` from `cx-accounts/memory`, or an SQL store from `cx-accounts/sql`. */
  store: Store;
  /** The host app's members. */
  directory: MemberDirectory;
  /** Absolute http(s) URL prefix of contact URLs, e.g. `'https://talk.example.com/add/'`. */
  contactUrlBase: string;
  /** The clock; default `() => new Date()`. Tests pass a fixed one. */
  clock?: () => Date;
  /** Time zone of new accounts (IANA name); default `'UTC'`. */
  timeZone?: string;
  /** How history backups run; see {@link BackupOptions}. */
  backups?: BackupOptions;
};

/**
 * The operations of `cx-accounts`, grouped by domain. Every operation returns a neverthrow
 * `ResultAsync<T, CxError>` and never throws.
 *
 * @category Setup
 */
export type CxAccounts = {
  products: ProductOperations;
  members: MemberOperations;
  accounts: AccountOperations;
  agents: AgentOperations;
  settings: SettingsOperations;
  holidays: HolidayOperations;
  conversations: ConversationOperations;
  bots: BotOperations;
  history: HistoryOperations;
};

/**
 * Wires a store, the host's member directory and a clock into the operations.
 *
 * Options are checked here but nothing is thrown: with a bad option (a relative
 * `contactUrlBase`, an unknown `timeZone`, a missing store) every operation answers a
 * `validation` error whose issues name the option, so the mistake shows at the first call.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { openSqlite } from 'cx-accounts/sql';
 *
 * const cx = createCxAccounts({
 *   store: await openSqlite('cx.sqlite'),
 *   directory: myDirectory,
 *   contactUrlBase: 'https://talk.example.com/add/',
 *   timeZone: 'Asia/Seoul',
 * });
 * const created = await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] });
 * ```
 *
 * @category Setup
 */
export function createCxAccounts(options: CxAccountsOptions): CxAccounts {
  const problems = optionProblems(options);
  if (problems.length > 0) return refusingEverything(validationError(problems));
  const context: OperationContext = {
    store: options.store,
    directory: options.directory,
    clock: options.clock ?? (() => new Date()),
    timeZone: options.timeZone ?? 'UTC',
    contactUrlBase: options.contactUrlBase,
  };
  return {
    products: productOperations(context),
    members: memberOperations(context),
    accounts: accountOperations(context),
    agents: agentOperations(context),
    settings: settingsOperations(context),
    holidays: holidayOperations(context),
    conversations: conversationOperations(context),
    bots: botOperations(context),
    history: historyOperations(context, options.backups),
  };
}

function optionProblems(options: unknown): ValidationIssue[] {
  if (typeof options !== 'object' || options === null) return [{ path: 'options', message: 'must be an object' }];
  const issues: ValidationIssue[] = [];
  const given = options as Partial<Record<keyof CxAccountsOptions, unknown>>;
  const store = given.store as Partial<Store> | undefined;
  if (typeof store?.transaction !== 'function') issues.push({ path: 'options.store', message: 'must be a Store from an adapter' });
  const directory = given.directory as Partial<MemberDirectory> | undefined;
  if (typeof directory?.get !== 'function' || typeof directory?.search !== 'function') {
    issues.push({ path: 'options.directory', message: 'must be a MemberDirectory with search() and get()' });
  }
  const urlProblem = contactUrlBaseProblem(given.contactUrlBase);
  if (urlProblem) issues.push({ path: 'options.contactUrlBase', message: urlProblem });
  if (given.clock !== undefined && typeof given.clock !== 'function') issues.push({ path: 'options.clock', message: 'must be a function' });
  if (given.timeZone !== undefined) {
    const problem = typeof given.timeZone === 'string' ? timeZoneProblem(given.timeZone) : 'must be an IANA time zone name';
    if (problem) issues.push({ path: 'options.timeZone', message: problem });
  }
  return issues;
}

/** A `CxAccounts` whose every operation answers the same error (bad options). */
function refusingEverything(error: CxError): CxAccounts {
  const refuse = () => runOperation(async () => err(error));
  const group = new Proxy({}, { get: () => refuse });
  return new Proxy({} as CxAccounts, { get: () => group });
}

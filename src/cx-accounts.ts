import { err } from 'neverthrow';
import { accountOperations, type AccountOperations } from './accounts/account-operations.js';
import { contactUrlBaseProblem } from './accounts/contact-url.js';
import { agentOperations, type AgentOperations } from './agents/agent-operations.js';
import { botOperations, type BotOperations } from './bots/bot-operations.js';
import { conversationOperations, type ConversationOperations } from './conversations/conversation-operations.js';
import { configInvalid, type CxError, type ValidationIssue } from './errors.js';
import { customerOperations, type CustomerOperations } from './customers/customer-operations.js';
import { eventOperations, type EventOperations } from './events/event-operations.js';
import { actorSchema } from './validation/identifiers.js';
import { parseInput } from './validation/parse-input.js';
import { spanAttributes, tracedGroup as traced, tracedOperation } from './telemetry/traced-group.js';
import { historyOperations, type HistoryOperations, type BackupOptions } from './history/history-operations.js';
import { memberOperations, type MemberOperations } from './members/member-operations.js';
import type { OperationContext } from './operation-context.js';
import type { MemberDirectory } from './ports/member-directory.js';
import type { Store } from './ports/store.js';
import { productOperations, type ProductOperations } from './products/product-operations.js';
import { runOperation } from './run-operation.js';
import { bindDomain, type CxDomain } from './domain-handle.js';
import { timeZoneProblem } from './schedule/time-zone.js';
import { resolveWebhookOptions, type WebhookOptions } from './webhooks/webhook-options.js';
import { webhookOperations, webhookShared, type WebhookOperations, type WebhookShared } from './webhooks/webhook-operations.js';
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
  /** How webhook deliveries run (R54, R55); see {@link WebhookOptions}. */
  webhooks?: WebhookOptions;
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
  customers: CustomerOperations;
  bots: BotOperations;
  history: HistoryOperations;
  events: EventOperations;
  webhooks: WebhookOperations;
  /**
   * The same operations, acting for `actor` (R33): every event they append carries it, so
   * the event log doubles as an audit trail. `actor` is 1–200 characters, e.g. `'admin:u1'`;
   * anything else makes every operation of the answer a `validation` error on `actor`.
   *
   * @example
   * ```ts
   * const asAdmin = cx.as('admin:u1');
   * const saved = await asAdmin.settings.update('acme', 'help', { awayMessage: 'Back at 9.' });
   * if (saved.isErr()) console.error(saved.error.message);
   * ```
   */
  as(actor: string): CxAccounts;
  /**
   * The same operation groups with `domainId` bound (R50), so an account ID can never be given
   * where the domain goes; `cx.as(actor).domain(domainId)` acts for `actor`. An invalid
   * `domainId` makes every operation of the handle answer `validation`.
   *
   * @example
   * ```ts
   * const acme = cx.domain('acme');
   * const overview = await acme.products.overview();
   * overview.match(
   *   ({ products }) => products.forEach((p) => console.log(p.productId, `${p.available} of ${p.quantity} free`)),
   *   (error) => console.error(error.message),
   * );
   * ```
   */
  domain(domainId: string): CxAccountsOfDomain;
};

/**
 * What `cx.domain(domainId)` answers: every group of {@link CxAccounts} with `domainId` bound.
 *
 * @category Setup
 */
export type CxAccountsOfDomain = CxDomain<Omit<CxAccounts, 'as' | 'domain'>>;

/**
 * Wires a store, the host's member directory and a clock into the operations.
 *
 * Options are checked here but nothing is thrown: with a bad option (a relative
 * `contactUrlBase`, an unknown `timeZone`, a missing store) every operation answers a
 * `config_invalid` error whose issues name the option, so the mistake shows at the first call.
 *
 * @example
 * ```ts
 * import { createCxAccounts } from 'cx-accounts';
 * import { memoryDirectory, memoryStore } from 'cx-accounts/memory';
 *
 * const cx = createCxAccounts({
 *   store: memoryStore(),
 *   directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'Kim', email: 'kim@acme.test' }]),
 *   contactUrlBase: 'https://talk.example.com/add/',
 *   timeZone: 'Asia/Seoul',
 * });
 * await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 3, quantity: 1 });
 * const created = await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] });
 * created.match(
 *   (account) => console.log(account.contactUrl),
 *   (error) => console.error(error.code, error.message),
 * );
 * ```
 *
 * @category Setup
 */
export function createCxAccounts(options: CxAccountsOptions): CxAccounts {
  const problems = optionProblems(options);
  if (problems.length > 0) return refusingEverything(configInvalid(problems));
  const webhookOptions = resolveWebhookOptions(options.webhooks);
  if (webhookOptions.isErr()) {
    const issues = webhookOptions.error.code === 'validation' ? webhookOptions.error.issues : [{ path: 'options.webhooks', message: webhookOptions.error.message }];
    return refusingEverything(configInvalid(issues));
  }
  const context: OperationContext = {
    store: options.store,
    directory: options.directory,
    clock: options.clock ?? (() => new Date()),
    timeZone: options.timeZone ?? 'UTC',
    contactUrlBase: options.contactUrlBase,
    actor: null,
  };
  return operationsFor(context, options.backups, undefined, { options: webhookOptions.value, shared: webhookShared(context, webhookOptions.value) });
}

type WebhookSetup = { options: import('./webhooks/webhook-options.js').ResolvedWebhookOptions; shared: WebhookShared };

function operationsFor(context: OperationContext, backups: BackupOptions | undefined, history: HistoryOperations | undefined, webhooks: WebhookSetup): CxAccounts {
  // One history group (and so one backup runner) serves `cx` and every `cx.as(…)`.
  const historyGroup = history ?? historyOperations(context, backups);
  const tracedGroup = <G extends object>(name: string, group: G) => traced(name, group, spanAttributes(context.store));
  const groups = {
    products: tracedGroup('products', productOperations(context)),
    members: tracedGroup('members', memberOperations(context)),
    accounts: tracedGroup('accounts', accountOperations(context)),
    agents: tracedGroup('agents', agentOperations(context)),
    settings: tracedGroup('settings', settingsOperations(context)),
    holidays: tracedGroup('holidays', holidayOperations(context)),
    conversations: tracedGroup('conversations', conversationOperations(context)),
    customers: tracedGroup('customers', customerOperations(context)),
    bots: tracedGroup('bots', botOperations(context)),
    history: tracedGroup('history', history === undefined ? historyGroup : historyOperations(context, backups, historyGroup)),
    events: tracedGroup('events', eventOperations(context)),
    webhooks: tracedGroup('webhooks', webhookOperations(context, webhooks.options, webhooks.shared)),
  };
  return {
    ...groups,
    as: (actor: string) => {
      const parsed = parseInput(actorSchema, actor, 'actor');
      if (parsed.isErr()) return refusingEverything(parsed.error);
      return operationsFor({ ...context, actor: parsed.value }, backups, historyGroup, webhooks);
    },
    domain: (domainId: string) => bindDomain(groups, domainId),
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

/** A `CxAccounts` whose every operation answers the same error (bad options, a bad actor). */
function refusingEverything(error: CxError): CxAccounts {
  const refuse = () => runOperation(async () => err(error));
  // Each refusal in its span, as the operation would have been: bad options show in traces too.
  const group = (groupName: string | symbol) =>
    new Proxy({}, { get: (_target, name) => (typeof groupName === 'string' && typeof name === 'string' ? tracedOperation(`cx.${groupName}.${name}`, refuse, {}) : refuse) });
  const everything: CxAccounts = new Proxy({} as CxAccounts, {
    get: (_target, property) =>
      property === 'as' ? () => everything : property === 'domain' ? () => new Proxy({}, { get: (_domain, groupName) => group(groupName) }) : group(property),
  });
  return everything;
}

/**
 * Errors are values: every operation of `cx-accounts` answers a `Result` whose error side is
 * a {@link CxError}. Switch on `code`; each variant carries what a caller needs to act.
 *
 * @module
 */
import { describeCause } from './internal/describe-cause.js';

/**
 * Which kind of thing was not found.
 *
 * @category Errors
 */
export type NotFoundEntity =
  | 'account'
  | 'product'
  | 'member'
  | 'agent'
  | 'contact'
  | 'holiday'
  | 'room'
  | 'backup'
  | 'bot'
  | 'webhook';

/**
 * One problem with an input: where it is (`name`, `weeklyHours.mon.1.to`) and what is wrong.
 *
 * @category Errors
 */
export type ValidationIssue = { path: string; message: string };

/**
 * The codes of rule violations that carry nothing beyond a message.
 *
 * @category Errors
 */
export type RuleErrorCode =
  | 'name_taken'
  | 'id_taken'
  | 'product_unavailable'
  | 'seat_limit_exceeded'
  | 'quantity_below_usage'
  | 'last_agent'
  | 'already_agent'
  | 'holiday_in_past'
  | 'holiday_overlap'
  | 'version_conflict'
  | 'backup_not_ready'
  | 'channel_disconnected';

/**
 * The rule codes whose errors carry only a message; the others carry the figures a host needs
 * to word its own message: `seat_limit_exceeded` (`productId`, `seatLimit`, `requested`),
 * `product_unavailable` and `quantity_below_usage` (`productId`, `quantity`, `inUse`),
 * `last_agent` (`accountIds`), `name_taken` (`accountId`, the account that holds the name).
 *
 * @category Errors
 */
export type PlainRuleErrorCode = Exclude<RuleErrorCode, 'seat_limit_exceeded' | 'product_unavailable' | 'quantity_below_usage' | 'last_agent' | 'name_taken'>;

/**
 * Every error `cx-accounts` returns.
 *
 * @example
 * ```ts
 * const result = await cx.accounts.create('acme', input);
 * if (result.isErr()) {
 *   switch (result.error.code) {
 *     case 'validation': showFieldErrors(result.error.issues); break;
 *     case 'name_taken': askForAnotherName(); break;
 *     default: console.error(result.error.message);
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export type CxError =
  | { code: 'validation'; message: string; issues: ValidationIssue[] }
  | { code: 'not_found'; message: string; entity: NotFoundEntity }
  | { code: PlainRuleErrorCode; message: string }
  | { code: 'seat_limit_exceeded'; message: string; productId: string; seatLimit: number; requested: number }
  | { code: 'product_unavailable' | 'quantity_below_usage'; message: string; productId: string; quantity: number; inUse: number }
  | { code: 'last_agent'; message: string; accountIds: string[] }
  | { code: 'name_taken'; message: string; accountId: string | null }
  | { code: 'store_failure'; message: string; cause: unknown; outcome: StoreFailureOutcome }
  | { code: 'directory_failure' | 'internal'; message: string; cause: unknown }
  | { code: 'config_invalid'; message: string; issues: ValidationIssue[] };

/**
 * Whether a failed write may have been kept: `rolled_back` when the store is sure nothing
 * changed; `unknown` when the connection was lost while committing, so nobody can know (retry
 * with the same `messageId` where the operation takes one, R47).
 *
 * @category Errors
 */
export type StoreFailureOutcome = 'rolled_back' | 'unknown';

/**
 * Builds a `validation` error from its issues; the message lists them.
 *
 * @category Errors
 */
export function validationError(issues: ValidationIssue[]): CxError {
  const message = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  return { code: 'validation', message: message || 'invalid input', issues };
}

/**
 * Builds a `validation` error with a single issue.
 *
 * @category Errors
 */
export function invalid(path: string, message: string): CxError {
  return validationError([{ path, message }]);
}

/**
 * Builds a `not_found` error. The message never says whether the thing exists in another domain.
 *
 * @category Errors
 */
export function notFound(entity: NotFoundEntity, id: string): CxError {
  return { code: 'not_found', entity, message: `${entity} ${JSON.stringify(id)} not found` };
}

/**
 * Builds a rule error such as `seat_limit_exceeded`.
 *
 * @category Errors
 */
export function ruleError(code: PlainRuleErrorCode, message: string): CxError {
  return { code, message };
}

/**
 * Builds a `name_taken`: the active account `accountId` of the same domain holds the name (R5,
 * R50). `null` only when a store refused the name itself and the holder could not be read.
 *
 * @category Errors
 */
export function nameTaken(accountId: string | null, message: string): CxError {
  return { code: 'name_taken', message, accountId };
}

/**
 * Builds a `seat_limit_exceeded`: `requested` agents do not fit the product's `seatLimit` (R4).
 *
 * @category Errors
 */
export function seatLimitExceeded(productId: string, seatLimit: number, requested: number, message: string): CxError {
  return { code: 'seat_limit_exceeded', message, productId, seatLimit, requested };
}

/**
 * Builds a `product_unavailable` (R3) or a `quantity_below_usage` (R1): `inUse` of `quantity` units.
 *
 * @category Errors
 */
export function unitsError(code: 'product_unavailable' | 'quantity_below_usage', productId: string, quantity: number, inUse: number, message: string): CxError {
  return { code, message, productId, quantity, inUse };
}

/**
 * Builds a `last_agent`: the accounts that would be left without an agent (R16, R35).
 *
 * @category Errors
 */
export function lastAgent(accountIds: string[], message: string): CxError {
  return { code: 'last_agent', message, accountIds };
}

/**
 * Builds a `store_failure`, keeping what the storage layer reported as `cause`.
 *
 * @category Errors
 */
export function storeFailure(cause: unknown, message?: string, outcome: StoreFailureOutcome = 'rolled_back'): CxError {
  return { code: 'store_failure', message: message ?? `storage failed: ${describeCause(cause)}`, cause, outcome };
}

/**
 * Builds a `directory_failure`: the host's {@link MemberDirectory} rejected or answered nonsense.
 *
 * @category Errors
 */
export function directoryFailure(cause: unknown): CxError {
  return { code: 'directory_failure', message: `member directory failed: ${describeCause(cause)}`, cause };
}

/**
 * Builds an `internal` error: a defect inside `cx-accounts` (please report it), never a storage failure.
 *
 * @category Errors
 */
export function internalError(cause: unknown): CxError {
  return { code: 'internal', message: `internal error in cx-accounts: ${describeCause(cause)}`, cause };
}

/**
 * Builds a `config_invalid` error: the options given to `createCxAccounts` are wrong.
 *
 * @category Errors
 */
export function configInvalid(issues: ValidationIssue[]): CxError {
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return { code: 'config_invalid', message: `invalid options: ${message}`, issues };
}


/**
 * Narrows an unknown value to a {@link CxError}.
 *
 * @category Errors
 */
export function isCxError(value: unknown): value is CxError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

import { err, ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { directoryFailure } from '../errors.js';
import { departMember, type DepartOptions, type DepartReport } from './member-departure.js';
import type { OperationContext } from '../operation-context.js';
import type { Member } from '../ports/member-directory.js';
import { runOperation } from '../run-operation.js';
import { domainIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';

/** The text of `members.search`: at most 200 characters. */
const searchQuerySchema = z.string().max(200);

const searchOptionsSchema = z
  .strictObject({ limit: z.number().int('must be a whole number').min(1).max(100).optional() })
  .optional();

/**
 * The `members` operations.
 *
 * @category Agents
 */
export type MemberOperations = {
  /**
   * Searches the host's directory by name or email (default limit 20, at most 100).
   *
   * @example
   * ```ts
   * const found = await cx.members.search('acme', 'kim', { limit: 10 });
   * ```
   *
   * @errors
   * - `validation`: `domainId`, the query or `limit` is malformed.
   * - `directory_failure`: your member directory threw or answered something other than a list of
   *   members.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  search(domainId: string, query: string, options?: { limit?: number }): ResultAsync<Member[], OperationError<'members.search'>>;
  /**
   * For a member who left the company (R35): takes it out of every account and room of the
   * domain at once. Where it is the only agent of an account, `replacementId` (a member of the
   * domain) takes its place; without one the call fails with `last_agent` naming those
   * accounts, and changes nothing. Rooms left with no agent go to the account's remaining
   * agents (R36).
   *
   * @example
   * ```ts
   * const departed = await cx.members.depart('acme', 'u7', { replacementId: 'u2' });
   * departed.match(
   *   ({ accountIds, roomIds }) => console.log(`left ${accountIds.length} accounts and ${roomIds.length} rooms`),
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId`, `memberId` or `replacementId` is malformed, or the replacement is
   *   the departing member.
   * - `not_found`: the replacement is not a member of the domain in your directory (`entity:
   *   "member"`).
   * - `last_agent`: the member is the only agent of some accounts and no `replacementId` was given;
   *   `accountIds` lists them (R35).
   * - `directory_failure`: your member directory threw or answered something other than a list of
   *   members.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  depart(domainId: string, memberId: string, options?: DepartOptions): ResultAsync<DepartReport, OperationError<'members.depart'>>;
};

export function memberOperations(context: OperationContext): MemberOperations {
  return narrowed<MemberOperations>({
    search: (domainId, query, options) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const text = take(parseInput(searchQuerySchema, query, 'query'));
        const parsed = take(parseInput(searchOptionsSchema, options, 'options'));
        let members: unknown;
        try {
          members = await context.directory.search(domain, text.trim(), parsed?.limit ?? 20);
        } catch (cause) {
          return err(directoryFailure(cause));
        }
        if (!Array.isArray(members)) return err(directoryFailure(new TypeError('MemberDirectory.search did not answer a list')));
        return ok(members.map(({ id, name, email }: Member) => ({ id, name, email })));
      }),

    depart: (domainId, memberId, options) => departMember(context, domainId, memberId, options),
  });
}

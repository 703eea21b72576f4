import { err, ok, type ResultAsync } from 'neverthrow';
import { narrowed, type OperationError } from '../operation-errors.js';
import * as z from 'zod';
import { lastAgent, notFound, ruleError, type CxError } from '../errors.js';
import { checkMembers, checkSeats, loadProduct } from '../accounts/account-lookup.js';
import { changeAccount, type ChangeOptions } from '../accounts/change-account.js';
import type { Account } from '../accounts/account-view.js';
import { newEvent } from '../events/new-event.js';
import type { OperationContext } from '../operation-context.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema, memberIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { membersGainingAccess, membersLosingAccess } from '../accounts/access-changes.js';
import { handOverRooms } from './room-handover.js';
import { straight } from '../internal/straight.js';

/**
 * What `agents.access` answers (R17).
 *
 * @category Agents
 */
export type AgentAccess = { hasAccess: boolean; accountIds: string[] };

/** Most members one call may name. */
const MAX_MEMBER_IDS = 10_000;

export const memberIdsSchema = z
  .array(memberIdSchema, { error: 'must be a list of member ids' })
  .min(1, 'name at least one member')
  .max(MAX_MEMBER_IDS, 'too many members')
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `lists ${JSON.stringify(id)} twice` });
      seen.add(id);
    }
  });

/**
 * The `agents` operations.
 *
 * @category Agents
 */
export type AgentOperations = {
  /**
   * Adds members of the domain as agents, all or nothing (R15): `already_agent` when one is,
   * `seat_limit_exceeded` when they do not fit, `not_found` (member) for an unknown one.
   *
   * @example
   * ```ts
   * const added = await cx.agents.add('acme', 'help', ['u2', 'u3']);
   * if (added.isErr()) console.error(added.error.message);
   * ```
   *
   * @errors
   * - `validation`: the member list is empty, has a duplicate or a malformed ID.
   * - `not_found`: no such account, or a member is not in your directory (`entity` says which).
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `already_agent`: a member is already an agent of the account.
   * - `seat_limit_exceeded`: the account would have more agents than its product's `seatLimit`
   *   (R4).
   * - `directory_failure`: your member directory threw or answered something other than a list of
   *   members.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  add(domainId: string, accountId: string, memberIds: string[], options?: ChangeOptions): ResultAsync<Account, OperationError<'agents.add'>>;
  /**
   * Removes one agent or a list of agents, all or nothing (R16): each must be an agent of the
   * account (`not_found`, entity `agent`, naming the first that is not), and at least one
   * agent must stay (`last_agent`). The removed agents leave every room of the account, and a
   * room left with no agent goes to the remaining agents (R36). One `agents.removed` event
   * names them all.
   *
   * @example
   * ```ts
   * const removed = await cx.agents.remove('acme', 'help', ['u2', 'u3']);
   * removed.match(
   *   (account) => console.log('agents now', account.agentIds),
   *   (error) => console.error(error.code, error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: the list is empty, has a duplicate or a malformed ID.
   * - `not_found`: no such account, or a member is not one of its agents (`entity` says which; the
   *   first such member); nothing is removed.
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `last_agent`: the account would be left without an agent (R16).
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  remove(
    domainId: string,
    accountId: string,
    memberIds: string | string[],
    options?: ChangeOptions,
  ): ResultAsync<Account, OperationError<'agents.remove'>>;
  /**
   * Makes the account's agents exactly `memberIds` in one step (R34): 1 to `seatLimit`
   * distinct members of the domain. The only agent of a one-seat account can be swapped this
   * way. The same list again changes nothing and keeps `version`.
   *
   * @example
   * ```ts
   * const swapped = await cx.agents.set('acme', 'help', ['u9']);
   * swapped.match(
   *   (account) => console.log('agents now', account.agentIds),
   *   (error) => console.error(error.code, error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: the list is empty, has a duplicate or a malformed ID (an account keeps at least
   *   one agent).
   * - `not_found`: no such account, or a member is not in your directory (`entity` says which).
   * - `version_conflict`: `options.expectedVersion` was given and the account is at another
   *   version: someone changed it first. Read it again and retry.
   * - `seat_limit_exceeded`: more agents than the product's `seatLimit` (R4).
   * - `directory_failure`: your member directory threw or answered something other than a list of
   *   members.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  set(domainId: string, accountId: string, memberIds: string[], options?: ChangeOptions): ResultAsync<Account, OperationError<'agents.set'>>;
  /**
   * Whether a member may use the consultation service, and through which accounts (R17).
   *
   * @example
   * ```ts
   * (await cx.agents.access('acme', 'u2')).match(
   *   ({ hasAccess, accountIds }) => console.log(hasAccess ? `agent of ${accountIds.join(', ')}` : 'no access'),
   *   (error) => console.error(error.message),
   * );
   * ```
   *
   * @errors
   * - `validation`: `domainId` or `memberId` is malformed.
   * - `store_failure`, `internal`, `config_invalid`: as on every operation: the store failed
   *   (`store_failure`; its `outcome` says whether a change may have been kept), a defect of
   *   cx-accounts (`internal`, please report it), or the options given to `createCxAccounts` are
   *   wrong (`config_invalid`).
   */
  access(domainId: string, memberId: string): ResultAsync<AgentAccess, OperationError<'agents.access'>>;
};

export function agentOperations(context: OperationContext): AgentOperations {
  const { store, directory } = context;
  /** The member list of `agents.add` / `agents.set`: well formed, and every id a member of the domain. */
  const knownMembers = (domainId: unknown, memberIds: unknown) =>
    straight<string[], CxError>(async (take) => {
      const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
      const ids = take(parseInput(memberIdsSchema, memberIds, 'memberIds'));
      take(await checkMembers(directory, domain, ids));
      return ok(ids);
    });
  return narrowed<AgentOperations>({
    add: (domainId, accountId, memberIds, options) =>
      runOperation(async (take) => {
        const ids = take(await knownMembers(domainId, memberIds));
        return await changeAccount(context, domainId, accountId, options, async (current, tx, take) => {
          const already = ids.find((id) => current.agentIds.includes(id));
          if (already !== undefined) {
            return err(ruleError('already_agent', `member ${JSON.stringify(already)} is already an agent of ${current.id}`));
          }
          const product = take(await loadProduct(tx, current.productId));
          take(checkSeats(product, current.agentIds.length + ids.length));
          const gainedAccessIds = await membersGainingAccess(tx, ids);
          return ok({ addAgents: ids, events: [newEvent(context, 'agents.added', current, { memberIds: [...ids], gainedAccessIds })], product });
        });
      }),

    remove: (domainId, accountId, memberIds, options) =>
      runOperation(async (take) => {
        const leaving =
          typeof memberIds === 'string'
            ? [take(parseInput(memberIdSchema, memberIds, 'memberIds'))]
            : take(parseInput(memberIdsSchema, memberIds, 'memberIds'));
        return await changeAccount(context, domainId, accountId, options, async (current, tx) => {
          const stranger = leaving.find((id) => !current.agentIds.includes(id));
          if (stranger !== undefined) return err(notFound('agent', stranger));
          const gone = new Set(leaving);
          const remaining = current.agentIds.filter((id) => !gone.has(id));
          if (remaining.length === 0) {
            const who = leaving.length === 1 ? `${leaving[0]} is the last agent` : `${leaving.join(', ')} are every agent`;
            return err(lastAgent([current.id], `${who} of ${current.id}; an account keeps at least one`));
          }
          const lostAccessIds = await membersLosingAccess(tx, leaving, current.id);
          const { handedRoomIds: roomIds } = await handOverRooms(tx, current.key, leaving, remaining);
          return ok({
            removeAgents: leaving,
            events: [newEvent(context, 'agents.removed', current, { memberIds: [...leaving], roomIds, lostAccessIds })],
          });
        });
      }),

    set: (domainId, accountId, memberIds, options) =>
      runOperation(async (take) => {
        const ids = take(await knownMembers(domainId, memberIds));
        return await changeAccount(context, domainId, accountId, options, async (current, tx, take) => {
          const wanted = new Set(ids);
          const leaving = current.agentIds.filter((id) => !wanted.has(id));
          const joining = ids.filter((id) => !current.agentIds.includes(id));
          if (leaving.length === 0 && joining.length === 0) return ok(null);
          const product = take(await loadProduct(tx, current.productId));
          take(checkSeats(product, ids.length));
          const lostAccessIds = await membersLosingAccess(tx, leaving, current.id);
          const gainedAccessIds = await membersGainingAccess(tx, joining);
          const remaining = [...current.agentIds.filter((id) => wanted.has(id)), ...joining];
          const { handedRoomIds: roomIds } = await handOverRooms(tx, current.key, leaving, remaining);
          const events = [];
          if (leaving.length > 0) events.push(newEvent(context, 'agents.removed', current, { memberIds: leaving, roomIds, lostAccessIds }));
          if (joining.length > 0) events.push(newEvent(context, 'agents.added', current, { memberIds: joining, gainedAccessIds }));
          return ok({ removeAgents: leaving, addAgents: joining, events, product });
        });
      }),

    access: (domainId, memberId) =>
      runOperation(async (take) => {
        const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
        const member = take(parseInput(memberIdSchema, memberId, 'memberId'));
        return await transact(store, domain, 'read', async (tx) => {
          const accountIds = await tx.activeAccountIdsOfAgent(member);
          return ok({ hasAccess: accountIds.length > 0, accountIds });
        });
      }),
  });
}

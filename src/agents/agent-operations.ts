import { err, ok, type ResultAsync } from 'neverthrow';
import { z } from 'zod';
import { invalid, notFound, ruleError, type CxError } from '../errors.js';
import { checkMembers, checkSeats, loadProduct } from '../accounts/account-lookup.js';
import { changeAccount, type ChangeOptions } from '../accounts/change-account.js';
import type { Account } from '../accounts/account-view.js';
import type { OperationContext } from '../operation-context.js';
import { runOperation } from '../run-operation.js';
import { domainIdSchema, memberIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';

/**
 * What `agents.access` answers (R17).
 *
 * @category Agents
 */
export type AgentAccess = { hasAccess: boolean; accountIds: string[] };

const memberIdsSchema = z
  .array(memberIdSchema, { error: 'must be a list of member ids' })
  .min(1, 'name at least one member')
  .max(10_000, 'too many members');

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
   * await cx.agents.add('acme', 'help', ['u2', 'u3']);
   * ```
   */
  add(domainId: string, accountId: string, memberIds: string[], options?: ChangeOptions): ResultAsync<Account, CxError>;
  /**
   * Removes an agent (R16); it leaves every room of the account. Removing the last agent
   * fails with `last_agent`.
   */
  remove(domainId: string, accountId: string, memberId: string, options?: ChangeOptions): ResultAsync<Account, CxError>;
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
   */
  access(domainId: string, memberId: string): ResultAsync<AgentAccess, CxError>;
};

export function agentOperations(context: OperationContext): AgentOperations {
  const { store, directory } = context;
  return {
    add: (domainId, accountId, memberIds, options) =>
      runOperation(async () => {
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        const ids = parseInput(memberIdsSchema, memberIds, 'memberIds');
        if (ids.isErr()) return err(ids.error);
        if (new Set(ids.value).size !== ids.value.length) return err(invalid('memberIds', 'lists a member twice'));
        const members = await checkMembers(directory, domain.value, ids.value);
        if (members.isErr()) return err(members.error);
        return changeAccount(context, domainId, accountId, options, async (current, tx) => {
          const already = ids.value.find((id) => current.agentIds.includes(id));
          if (already !== undefined) {
            return err(ruleError('already_agent', `member ${JSON.stringify(already)} is already an agent of ${current.id}`));
          }
          const product = await loadProduct(tx, current.productId);
          if (product.isErr()) return err(product.error);
          const seats = checkSeats(product.value, current.agentIds.length + ids.value.length);
          if (seats.isErr()) return err(seats.error);
          return ok({ ...current, agentIds: [...current.agentIds, ...ids.value] });
        });
      }),

    remove: (domainId, accountId, memberId, options) =>
      runOperation(async () => {
        const member = parseInput(memberIdSchema, memberId, 'memberId');
        if (member.isErr()) return err(member.error);
        return changeAccount(context, domainId, accountId, options, async (current, tx) => {
          if (!current.agentIds.includes(member.value)) return err(notFound('agent', member.value));
          if (current.agentIds.length < 2) {
            return err(ruleError('last_agent', `${member.value} is the last agent of ${current.id}; an account keeps at least one`));
          }
          await tx.removeAgentFromRooms(current.key, member.value);
          return ok({ ...current, agentIds: current.agentIds.filter((id) => id !== member.value) });
        });
      }),

    access: (domainId, memberId) =>
      runOperation(async () => {
        const domain = parseInput(domainIdSchema, domainId, 'domainId');
        if (domain.isErr()) return err(domain.error);
        const member = parseInput(memberIdSchema, memberId, 'memberId');
        if (member.isErr()) return err(member.error);
        return store.transaction(domain.value, 'read', async (tx) => {
          const accountIds = await tx.activeAccountIdsOfAgent(member.value);
          return ok({ hasAccess: accountIds.length > 0, accountIds });
        });
      }),
  };
}


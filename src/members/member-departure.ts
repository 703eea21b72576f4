import { err, ok, type ResultAsync } from 'neverthrow';
import * as z from 'zod';
import { invalid, lastAgent, type CxError } from '../errors.js';
import { checkMembers, loadAccount } from '../accounts/account-lookup.js';
import { writeAccountChange, type AccountChange } from '../accounts/change-account.js';
import { membersGainingAccess } from '../accounts/access-changes.js';
import { handOverRooms } from '../agents/room-handover.js';
import { newEvent } from '../events/new-event.js';
import type { OperationContext } from '../operation-context.js';
import type { AccountRecord, EventDraft } from '../ports/records.js';
import { runOperation } from '../run-operation.js';
import { transact } from '../run-transaction.js';
import { domainIdSchema, memberIdSchema } from '../validation/identifiers.js';
import { parseInput } from '../validation/parse-input.js';
import { straight } from '../internal/straight.js';

/**
 * Options of `members.depart` (R35).
 *
 * @category Agents
 */
export type DepartOptions = {
  /** A member of the domain who takes the departed member's place where it was the only agent. */
  replacementId?: string;
};

/**
 * What `members.depart` did (R35): the accounts and rooms the member left.
 *
 * @category Agents
 */
export type DepartReport = { accountIds: string[]; roomIds: string[] };

const departOptionsSchema = z.strictObject({ replacementId: memberIdSchema.optional() }).optional();

/** `members.depart` (R35, R36): see `MemberOperations.depart`. */
export function departMember(
  context: OperationContext,
  domainId: unknown,
  memberId: unknown,
  options: unknown,
): ResultAsync<DepartReport, CxError> {
  return runOperation(async (take) => {
    const domain = take(parseInput(domainIdSchema, domainId, 'domainId'));
    const member = take(parseInput(memberIdSchema, memberId, 'memberId'));
    const replacementId = (take(parseInput(departOptionsSchema, options, 'options')))?.replacementId ?? null;
    if (replacementId === member) return err(invalid('options.replacementId', 'must be another member than the one departing'));
    if (replacementId !== null) take(await checkMembers(context.directory, domain, [replacementId]));

    return await transact(context.store, domain, 'write', (tx) =>
      straight(async (take) => {
        const accountIds = await tx.activeAccountIdsOfAgent(member);
        if (accountIds.length === 0) return ok({ accountIds: [], roomIds: [] });
        const accounts: AccountRecord[] = [];
        for (const id of accountIds) accounts.push(take(await loadAccount(tx, id)));
        const soleAgentOf = accounts.filter((account) => account.agentIds.length === 1).map((account) => account.id);
        if (soleAgentOf.length > 0 && replacementId === null) {
          return err(
            lastAgent(soleAgentOf, `${member} is the only agent of ${soleAgentOf.join(', ')}; name a replacementId to take its place there`,
            ),
          );
        }
        const gainsAccess = replacementId !== null && soleAgentOf.length > 0 && (await membersGainingAccess(tx, [replacementId])).length > 0;
        const roomIds: string[] = [];
        const events: EventDraft[] = [];
        for (const account of accounts) {
          const replaces = replacementId !== null && account.agentIds.length === 1;
          const remaining = replaces ? [replacementId] : account.agentIds.filter((id) => id !== member);
          const rooms = await handOverRooms(tx, account.key, [member], remaining);
          roomIds.push(...rooms.leftRoomIds);
          const accountEvents = [
            newEvent(context, 'agents.removed', account, {
              memberIds: [member],
              roomIds: rooms.handedRoomIds,
              lostAccessIds: account === accounts[accounts.length - 1] ? [member] : [],
            }),
          ];
          if (replaces) {
            const gainedAccessIds = gainsAccess && account.id === soleAgentOf[0] ? [replacementId] : [];
            accountEvents.push(newEvent(context, 'agents.added', account, { memberIds: [replacementId], gainedAccessIds }));
          }
          const change: AccountChange = { removeAgents: [member], addAgents: replaces ? [replacementId] : [], events: accountEvents };
          await writeAccountChange(tx, account, change, account.version + 1);
        }
        events.push(newEvent(context, 'member.departed', null, { memberId: member, accountIds, replacementId }));
        await tx.appendEvents(events);
        return ok({ accountIds, roomIds });
      }),
    );
  });
}

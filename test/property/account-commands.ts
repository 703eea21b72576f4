import fc from 'fast-check';
import type { CxAccounts } from '../../src/cx-accounts.js';

/** One random operation of the account model, over two domains with colliding IDs and names. */
export type AccountCommand =
  | { op: 'setProduct'; domainId: string; productId: string; seatLimit: number; quantity: number }
  | { op: 'create'; domainId: string; productId: string; id: string; name: string; agentIds: string[] }
  | { op: 'add'; domainId: string; id: string; memberIds: string[] }
  | { op: 'remove'; domainId: string; id: string; memberId: string }
  | { op: 'changeProduct'; domainId: string; id: string; productId: string }
  | { op: 'reset'; domainId: string; id: string };

const domain = fc.constantFrom('acme', 'globex');
const productId = fc.constantFrom('basic', 'pro');
// Few IDs and names, so that collisions (within and across domains) are frequent.
const accountId = fc.constantFrom('a', 'b', 'c', 'd');
const accountName = fc.constantFrom('Help', 'HELP', 'ｈｅｌｐ', 'Sales', 'Desk');
// Members of both domains: a member of the other domain must be refused.
const member = fc.constantFrom('u1', 'u2', 'u3', 'u4', 'x1', 'x2');

export const accountCommand: fc.Arbitrary<AccountCommand> = fc.oneof(
  fc.record({ op: fc.constant('setProduct' as const), domainId: domain, productId, seatLimit: fc.integer({ min: 1, max: 3 }), quantity: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('create' as const), domainId: domain, productId, id: accountId, name: accountName, agentIds: fc.uniqueArray(member, { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('add' as const), domainId: domain, id: accountId, memberIds: fc.uniqueArray(member, { minLength: 1, maxLength: 2 }) }),
  fc.record({ op: fc.constant('remove' as const), domainId: domain, id: accountId, memberId: member }),
  fc.record({ op: fc.constant('changeProduct' as const), domainId: domain, id: accountId, productId }),
  fc.record({ op: fc.constant('reset' as const), domainId: domain, id: accountId }),
);

/** Runs a command; answers `'ok'` or the error code. */
export async function runCommand(cx: CxAccounts, command: AccountCommand): Promise<string> {
  let result;
  switch (command.op) {
    case 'setProduct':
      result = await cx.products.set(command.domainId, { productId: command.productId, name: command.productId, seatLimit: command.seatLimit, quantity: command.quantity });
      break;
    case 'create':
      result = await cx.accounts.create(command.domainId, { productId: command.productId, id: command.id, name: command.name, agentIds: command.agentIds });
      break;
    case 'add':
      result = await cx.agents.add(command.domainId, command.id, command.memberIds);
      break;
    case 'remove':
      result = await cx.agents.remove(command.domainId, command.id, command.memberId);
      break;
    case 'changeProduct':
      result = await cx.accounts.changeProduct(command.domainId, command.id, command.productId);
      break;
    case 'reset':
      result = await cx.accounts.reset(command.domainId, command.id);
      break;
  }
  return result.isOk() ? 'ok' : result.error.code;
}

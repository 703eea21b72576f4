import fc from 'fast-check';
import type { CxAccounts } from '../../src/cx-accounts.js';

/** One random operation of the account model, over two domains with colliding IDs and names. */
export type AccountCommand =
  | { op: 'setProduct'; domainId: string; productId: string; seatLimit: number; quantity: number }
  | { op: 'create'; domainId: string; productId: string; id: string; name: string; agentIds: string[] }
  | { op: 'add'; domainId: string; id: string; memberIds: string[] }
  | { op: 'remove'; domainId: string; id: string; memberId: string }
  | { op: 'changeProduct'; domainId: string; id: string; productId: string }
  | { op: 'reset'; domainId: string; id: string }
  | { op: 'set'; domainId: string; id: string; memberIds: string[] }
  | { op: 'depart'; domainId: string; memberId: string; replacementId: string | null }
  | { op: 'contact'; domainId: string; id: string; customerId: string; channel: 'lineworks' | 'line' | 'mail' }
  | { op: 'message'; domainId: string; id: string; customerId: string; channel: 'lineworks' | 'line' | 'mail' }
  | { op: 'room'; domainId: string; id: string; agentIds: string[] }
  | { op: 'channels'; domainId: string; id: string; line: boolean }
  | { op: 'save'; domainId: string; id: string; awayMessage: string; holidays: { start: string; end: string }[] }
  | { op: 'erase'; domainId: string; customerId: string };

const domain = fc.constantFrom('acme', 'globex');
const productId = fc.constantFrom('basic', 'pro');
// Few IDs and names, so that collisions (within and across domains) are frequent.
const accountId = fc.constantFrom('a', 'b', 'c', 'd');
const accountName = fc.constantFrom('Help', 'HELP', 'ｈｅｌｐ', 'Sales', 'Desk');
// Members of both domains: a member of the other domain must be refused.
const member = fc.constantFrom('u1', 'u2', 'u3', 'u4', 'x1', 'x2');
const customer = fc.constantFrom('c1', 'c2');
const channel = fc.constantFrom('lineworks' as const, 'line' as const, 'mail' as const);
const holiday = fc.integer({ min: 0, max: 20 }).chain((start) =>
  fc.integer({ min: 0, max: 3 }).map((length) => ({ start: day(start), end: day(start + length) })),
);
function day(offset: number): string {
  return new Date(Date.UTC(2026, 11, 1 + offset)).toISOString().slice(0, 10);
}

export const accountCommand: fc.Arbitrary<AccountCommand> = fc.oneof(
  fc.record({ op: fc.constant('setProduct' as const), domainId: domain, productId, seatLimit: fc.integer({ min: 1, max: 3 }), quantity: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('create' as const), domainId: domain, productId, id: accountId, name: accountName, agentIds: fc.uniqueArray(member, { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('add' as const), domainId: domain, id: accountId, memberIds: fc.uniqueArray(member, { minLength: 1, maxLength: 2 }) }),
  fc.record({ op: fc.constant('remove' as const), domainId: domain, id: accountId, memberId: member }),
  fc.record({ op: fc.constant('changeProduct' as const), domainId: domain, id: accountId, productId }),
  fc.record({ op: fc.constant('reset' as const), domainId: domain, id: accountId }),
  fc.record({ op: fc.constant('set' as const), domainId: domain, id: accountId, memberIds: fc.uniqueArray(member, { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('depart' as const), domainId: domain, memberId: member, replacementId: fc.option(member, { nil: null }) }),
  fc.record({ op: fc.constant('contact' as const), domainId: domain, id: accountId, customerId: customer, channel }),
  fc.record({ op: fc.constant('message' as const), domainId: domain, id: accountId, customerId: customer, channel }),
  fc.record({ op: fc.constant('room' as const), domainId: domain, id: accountId, agentIds: fc.uniqueArray(member, { minLength: 1, maxLength: 1 }) }),
  fc.record({ op: fc.constant('channels' as const), domainId: domain, id: accountId, line: fc.boolean() }),
  fc.record({ op: fc.constant('save' as const), domainId: domain, id: accountId, awayMessage: fc.constantFrom('', 'Away'), holidays: fc.array(holiday, { maxLength: 3 }) }),
  fc.record({ op: fc.constant('erase' as const), domainId: domain, customerId: customer }),
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
    case 'set':
      result = await cx.agents.set(command.domainId, command.id, command.memberIds);
      break;
    case 'depart':
      result = await cx.members.depart(command.domainId, command.memberId, command.replacementId === null ? {} : { replacementId: command.replacementId });
      break;
    case 'contact':
      result = await cx.conversations.addContact(command.domainId, command.id, { customerId: command.customerId, name: `Name ${command.customerId}`, channel: command.channel });
      break;
    case 'message':
      result = await cx.conversations.receiveMessage(command.domainId, command.id, { customerId: command.customerId, content: 'hello', channel: command.channel });
      break;
    case 'room':
      result = await cx.conversations.openRoom(command.domainId, command.id, { kind: 'group', agentIds: command.agentIds });
      break;
    case 'channels':
      result = await cx.settings.update(command.domainId, command.id, { channels: { line: command.line } });
      break;
    case 'save':
      result = await cx.settings.update(command.domainId, command.id, { awayMessage: command.awayMessage, holidays: command.holidays });
      break;
    case 'erase':
      result = await cx.customers.erase(command.domainId, command.customerId);
      break;
  }
  return result.isOk() ? 'ok' : result.error.code;
}

/** A starting state, so that random commands act on products and accounts that exist. */
export const SEED_COMMANDS: readonly AccountCommand[] = [
  { op: 'setProduct', domainId: 'acme', productId: 'basic', seatLimit: 2, quantity: 3 },
  { op: 'setProduct', domainId: 'acme', productId: 'pro', seatLimit: 3, quantity: 1 },
  { op: 'setProduct', domainId: 'globex', productId: 'basic', seatLimit: 2, quantity: 2 },
  { op: 'create', domainId: 'acme', productId: 'basic', id: 'a', name: 'Help', agentIds: ['u1', 'u2'] },
  { op: 'create', domainId: 'acme', productId: 'pro', id: 'b', name: 'Sales', agentIds: ['u2'] },
  { op: 'create', domainId: 'globex', productId: 'basic', id: 'c', name: 'Help', agentIds: ['x1'] },
  { op: 'contact', domainId: 'acme', id: 'a', customerId: 'c1', channel: 'line' },
  { op: 'room', domainId: 'acme', id: 'a', agentIds: ['u1'] },
];

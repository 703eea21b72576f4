/**
 * Races for a multi-primary cluster (R28): one `CxAccounts` per node, each round sends the
 * same kind of call to every node at the same moment, in a domain prepared for a race that
 * only the domain lock can decide. The answers are tallied; the invariants are read from the
 * tables afterwards (see `../sql/store-invariants.ts`).
 */
import type { Result } from 'neverthrow';
import type { CxAccounts } from '../../src/cx-accounts.js';
import type { CxError } from '../../src/errors.js';

/** Members every race domain knows. */
export const RACE_MEMBERS = ['m1', 'm2', 'm3', 'm4', 'm5'] as const;

/** One kind of race: a domain set up through the first node, then one call per node. */
export type RaceScenario = {
  /** The rule the race would break without the domain lock. */
  rule: string;
  /** The domains a round of this race uses (they must exist in the member directory). */
  domains(round: number, nodes: number): string[];
  /** Prepares the round through one node. */
  prepare(cx: CxAccounts, round: number, nodes: number): Promise<void>;
  /** The call node `node` makes in round `round`; answers `'ok'` or the error code. */
  race(cx: CxAccounts, round: number, node: number): Promise<string>;
};

const code = (result: Result<unknown, CxError>): string => (result.isOk() ? 'ok' : result.error.code);

/** Setup steps must succeed; a failure there is a broken test, not a lost race. */
function unwrap(result: Result<unknown, CxError>): void {
  if (result.isErr()) throw new Error(`race setup failed: ${result.error.code}: ${result.error.message}`);
}

/** R3: a product with one unit left; every node creates an account on it. */
export const unitsRace: RaceScenario = {
  rule: 'R3 units',
  domains: (round) => [`units-${round}`],
  async prepare(cx, round) {
    unwrap(await cx.products.set(`units-${round}`, { productId: 'p', name: 'Plan', seatLimit: 3, quantity: 1 }));
  },
  race: async (cx, round, node) =>
    code(await cx.accounts.create(`units-${round}`, { productId: 'p', id: `u${round}n${node}`, name: `Unit ${node}`, agentIds: ['m1'] })),
};

/** R4: an account with one free seat; every node adds a different member. */
export const seatsRace: RaceScenario = {
  rule: 'R4 seats',
  domains: (round) => [`seats-${round}`],
  async prepare(cx, round) {
    const domain = `seats-${round}`;
    unwrap(await cx.products.set(domain, { productId: 'p', name: 'Plan', seatLimit: 2, quantity: 1 }));
    unwrap(await cx.accounts.create(domain, { productId: 'p', id: `s${round}`, name: 'Seats', agentIds: ['m1'] }));
  },
  race: async (cx, round, node) => code(await cx.agents.add(`seats-${round}`, `s${round}`, [RACE_MEMBERS[1 + (node % 4)]!])),
};

/** R16: an account with one agent per node; every node removes a different one. */
export const lastAgentRace: RaceScenario = {
  rule: 'R16 last agent',
  domains: (round) => [`last-${round}`],
  async prepare(cx, round, nodes) {
    const domain = `last-${round}`;
    unwrap(await cx.products.set(domain, { productId: 'p', name: 'Plan', seatLimit: 5, quantity: 1 }));
    const agentIds = RACE_MEMBERS.slice(0, nodes);
    unwrap(await cx.accounts.create(domain, { productId: 'p', id: `l${round}`, name: 'Last', agentIds: [...agentIds] }));
  },
  race: async (cx, round, node) => code(await cx.agents.remove(`last-${round}`, `l${round}`, RACE_MEMBERS[node]!)),
};

/** R6: every node creates the same account ID, each in a domain of its own. */
export const uniqueIdRace: RaceScenario = {
  rule: 'R6 unique IDs',
  domains: (round, nodes) => Array.from({ length: nodes }, (_, node) => `ids-${round}-${node}`),
  async prepare(cx, round, nodes) {
    for (let node = 0; node < nodes; node++) {
      unwrap(await cx.products.set(`ids-${round}-${node}`, { productId: 'p', name: 'Plan', seatLimit: 3, quantity: 5 }));
    }
  },
  race: async (cx, round, node) =>
    code(await cx.accounts.create(`ids-${round}-${node}`, { productId: 'p', id: `same${round}`, name: 'Same', agentIds: ['m1'] })),
};

/** Every race, in the order they run. */
export const RACE_SCENARIOS: readonly RaceScenario[] = [unitsRace, seatsRace, lastAgentRace, uniqueIdRace];

/** Accounts whose agents a store remembers; past this many the memo starts over. */
const MAX_REMEMBERED = 4096;

/** The agents of an account as stored at one version: in order, and the next free position. */
export type RememberedAgents = { version: number; ids: readonly string[]; nextPosition: number };

/**
 * The agent lists of accounts as committed, by account key, each with the account's `version`
 * it was read or written at: a transaction that reads an account row at that version takes
 * the list from here instead of reading `cx_account_agents` again (most operations, such as
 * `receiveMessage`, never look at the agents). Every change of agents raises the account's
 * `version` (the operations write agents and version together), so a list is never taken for
 * a version it was not stored at, whichever process changed it. Entries are put only after
 * their transaction committed.
 *
 * Benchmark: `test/bench/sql-agents.bench.ts` (goal ≤ 1.5× a hand-written transaction that
 * keeps the agents by version too): with the memo, an add + remove pair runs 19 SQLite
 * statements; without it 21 (each operation's account read also reads the agent rows).
 */
export type AccountAgentMemo = {
  get(accountKey: string, version: number): RememberedAgents | undefined;
  put(accountKey: string, agents: RememberedAgents): void;
  forget(accountKey: string): void;
};

/** A fresh memo, one per store. */
export function accountAgentMemo(): AccountAgentMemo {
  const lists = new Map<string, RememberedAgents>();
  return {
    get(accountKey, version) {
      const remembered = lists.get(accountKey);
      return remembered && remembered.version === version ? remembered : undefined;
    },
    put(accountKey, agents) {
      if (lists.size >= MAX_REMEMBERED && !lists.has(accountKey)) lists.clear();
      lists.set(accountKey, agents);
    },
    forget(accountKey) {
      lists.delete(accountKey);
    },
  };
}

import type { AccountAgentMemo } from './account-agent-memo.js';

/** The agents of an account as stored: in order, and the next free position. */
export type StoredAgents = { ids: string[]; nextPosition: number };

/**
 * The agent lists a transaction read or wrote, and the version each account is at (as it will
 * commit): a change of agents then costs no read of `cx_account_agents`, and after commit the
 * store's memo (`account-agent-memo.ts`) takes each list at its account's version, so that a
 * later transaction reading the account at that version reads no agent rows either. The domain
 * is locked for every write, so a list cannot change underneath.
 *
 * Benchmark: `test/bench/sql-agents.bench.ts` (goal ≤ 1.5× a hand-written transaction that
 * keeps the agents by account version too, and so reads no agent rows in steady state). With
 * the lists kept, a pair runs 19 SQLite statements, as the hand-written side does; without
 * them 23 (the agent rows read in each operation's account read and again in its change, +21 %).
 */
export type TransactionAgentLists = {
  /** The account row was read at `version`: the memo's list for that version, if any, is taken. */
  readAt(accountKey: string, version: number): void;
  /** The account will commit at `version`. */
  setVersion(accountKey: string, version: number): void;
  get(accountKey: string): StoredAgents | undefined;
  set(accountKey: string, agents: StoredAgents): void;
  /** The account was reset: its version is no longer known, and the memo forgets it. */
  forget(accountKey: string): void;
  /** After commit: hands the lists to the memo at their committed versions. */
  committed(): void;
};

export function transactionAgentLists(memo: AccountAgentMemo): TransactionAgentLists {
  return new AgentLists(memo);
}

/** A class with its maps made on first use (see `held-account-writes.ts`: most transactions keep no list). */
class AgentLists implements TransactionAgentLists {
  readonly #memo: AccountAgentMemo;
  #versions: Map<string, number> | null = null;
  #lists: Map<string, StoredAgents> | null = null;

  constructor(memo: AccountAgentMemo) {
    this.#memo = memo;
  }

  readAt(accountKey: string, version: number): void {
    (this.#versions ??= new Map()).set(accountKey, version);
    if (this.#lists?.has(accountKey)) return;
    const remembered = this.#memo.get(accountKey, version);
    if (remembered) (this.#lists ??= new Map()).set(accountKey, { ids: [...remembered.ids], nextPosition: remembered.nextPosition });
  }

  setVersion(accountKey: string, version: number): void {
    (this.#versions ??= new Map()).set(accountKey, version);
  }

  get(accountKey: string): StoredAgents | undefined {
    return this.#lists?.get(accountKey);
  }

  set(accountKey: string, agents: StoredAgents): void {
    (this.#lists ??= new Map()).set(accountKey, agents);
  }

  forget(accountKey: string): void {
    this.#versions?.delete(accountKey);
    this.#memo.forget(accountKey);
  }

  committed(): void {
    if (!this.#lists) return;
    for (const [accountKey, agents] of this.#lists) {
      const version = this.#versions?.get(accountKey);
      if (version !== undefined) this.#memo.put(accountKey, { version, ids: agents.ids, nextPosition: agents.nextPosition });
      // Agents written without a version this transaction knows (a store port user may do
      // that): whatever was remembered is stale.
      else this.#memo.forget(accountKey);
    }
  }
}

/** Columns of an account row held back, written with the account's next change or before commit. */
export type HeldAccountChange = { agentCount?: number; version?: number };

/**
 * Account row writes a transaction holds back so that an operation writes each account row
 * once: `agents.add` raises `agent_count` and `version` in two port calls, and they go out as
 * one UPDATE (with the account's next change, its next read, or before commit). Only an
 * account this transaction knows is active (read or inserted, not reset since) has a bare
 * `version` change held: for any other the UPDATE runs at once, so that a missing account
 * still rejects.
 *
 * Benchmark: `test/bench/sql-agents.bench.ts` (goal: the store's time per add + remove pair
 * ≤ 1.5× a hand-written transaction that updates the account row once per operation). With
 * the writes held, a pair runs 19 SQLite statements, as the hand-written side does; writing at
 * once makes it 21 (a second UPDATE of the row in each operation, +11 %).
 */
export type HeldAccountWrites = {
  /** The account is active, as read or inserted in this transaction. */
  markActive(accountKey: string): void;
  /** The account was reset: no longer known active. */
  markEnded(accountKey: string): void;
  isKnownActive(accountKey: string): boolean;
  hold(accountKey: string, change: HeldAccountChange): void;
  /** What is held for the account (and forgets it): the caller writes it now. */
  take(accountKey: string): HeldAccountChange | undefined;
  /** Accounts with something held. */
  heldKeys(): string[];
  readonly size: number;
};

export function heldAccountWrites(): HeldAccountWrites {
  const held = new Map<string, HeldAccountChange>();
  const knownActive = new Set<string>();
  return {
    markActive: (accountKey) => void knownActive.add(accountKey),
    markEnded: (accountKey) => void knownActive.delete(accountKey),
    isKnownActive: (accountKey) => knownActive.has(accountKey),
    hold(accountKey, change) {
      held.set(accountKey, { ...held.get(accountKey), ...change });
    },
    take(accountKey) {
      const change = held.get(accountKey);
      held.delete(accountKey);
      return change;
    },
    heldKeys: () => [...held.keys()],
    get size() {
      return held.size;
    },
  };
}

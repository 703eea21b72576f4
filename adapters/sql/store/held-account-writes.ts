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
  return new HeldWrites();
}

/**
 * A class, with its collections made on first use and each held change kept in one object of
 * one shape, changed in place: most transactions hold nothing, and a closure per method and a
 * spread per change cost the sql-agents pair about 2 µs (of ~120) in CPU profiles.
 */
class HeldWrites implements HeldAccountWrites {
  #held: Map<string, { agentCount: number | undefined; version: number | undefined }> | null = null;
  #knownActive: Set<string> | null = null;

  markActive(accountKey: string): void {
    (this.#knownActive ??= new Set()).add(accountKey);
  }

  markEnded(accountKey: string): void {
    this.#knownActive?.delete(accountKey);
  }

  isKnownActive(accountKey: string): boolean {
    return this.#knownActive?.has(accountKey) ?? false;
  }

  hold(accountKey: string, change: HeldAccountChange): void {
    const held = (this.#held ??= new Map());
    const entry = held.get(accountKey);
    if (!entry) {
      held.set(accountKey, { agentCount: change.agentCount, version: change.version });
      return;
    }
    if (change.agentCount !== undefined) entry.agentCount = change.agentCount;
    if (change.version !== undefined) entry.version = change.version;
  }

  take(accountKey: string): HeldAccountChange | undefined {
    const entry = this.#held?.get(accountKey);
    if (entry) this.#held!.delete(accountKey);
    return entry;
  }

  heldKeys(): string[] {
    return this.#held ? [...this.#held.keys()] : [];
  }

  get size(): number {
    return this.#held?.size ?? 0;
  }
}

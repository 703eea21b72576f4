/**
 * Model-based equivalence (R29): random command sequences — creates with colliding IDs and
 * names, agent adds and removes, product changes, resets, product changes — run on the
 * memory store (the oracle) and on SQL stores; every command must answer the same, and what
 * the public API then shows must be the same (contact URLs aside: they are random).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { accountCommand, runCommand, type AccountCommand } from '../property/account-commands.js';
import { observe } from '../property/account-invariants.js';
import { pgliteFactory, sqliteMemoryFactory, useSqlStoreCleanup, type SqlStoreFactory } from '../stores/sql-stores.js';

useSqlStoreCleanup();

/** Fields whose values are random (contact URL tokens, uids, message and room ids). */
const RANDOM_FIELDS = new Set(['contactUrl', 'uid', 'accountUid', 'messageId', 'roomId', 'roomIds', 'deletedRoomIds']);

/**
 * Observed state with each random value replaced by its rank of first appearance, so two
 * stores that made the same things in the same order compare equal while a mix-up (one uid
 * where another belongs) still shows.
 */
async function observed(fixture: ReturnType<typeof makeFixture>) {
  const state = await observe(fixture.cx);
  const ranks = new Map<string, string>();
  const rank = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rank);
    if (typeof value !== 'string') return value;
    if (!ranks.has(value)) ranks.set(value, `<random ${ranks.size + 1}>`);
    return ranks.get(value);
  };
  return JSON.parse(JSON.stringify(state, (key, value) => (RANDOM_FIELDS.has(key) ? rank(value) : value)));
}

async function runBoth(factory: SqlStoreFactory, commands: AccountCommand[]) {
  const sqlStore = await factory.setup();
  try {
    const memory = makeFixture(memoryStore());
    const sql = makeFixture(sqlStore);
    for (const [index, command] of commands.entries()) {
      // The clock moves, so activation order differs from ID order.
      const at = new Date(Date.UTC(2026, 10, 25, 3, 0, 0) + index * 997);
      memory.setNow(at);
      sql.setNow(at);
      const expected = await runCommand(memory.cx, command);
      const actual = await runCommand(sql.cx, command);
      expect(actual, `command ${index}: ${JSON.stringify(command)}`).toBe(expected);
    }
    expect(await observed(sql)).toEqual(await observed(memory));
  } finally {
    await factory.teardown(sqlStore);
  }
}

describe('R29: SQL stores answer as the memory store, command by command', () => {
  for (const [factory, runs] of [
    [sqliteMemoryFactory, 200],
    [pgliteFactory, 40],
  ] as const) {
    it(`${factory.name}: ${runs} random sequences of up to 40 commands`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(accountCommand, { minLength: 1, maxLength: 40 }), (commands) => runBoth(factory, commands)),
        { numRuns: runs },
      );
    }, 120_000);
  }
});

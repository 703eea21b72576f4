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

/** Observed state without the random parts. */
async function observed(fixture: ReturnType<typeof makeFixture>) {
  const state = await observe(fixture.cx);
  return JSON.parse(JSON.stringify(state, (key, value) => (key === 'contactUrl' ? '<random>' : value)));
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { openSqlite } from '../../adapters/sql/open-sqlite.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { accountCommand, runCommand } from './account-commands.js';
import { observe } from './account-invariants.js';

/** The observed state without what is random by design (contact URL tokens). */
async function comparable(cx: Parameters<typeof observe>[0]) {
  const state = await observe(cx);
  return state.map(({ domainId, overview, accounts, access }) => ({
    domainId,
    overview,
    accounts: accounts.map(({ contactUrl: _token, ...account }) => account),
    access: [...access],
  }));
}

const RUNS = 40;

describe('memory store and SQLite store side by side', () => {
  it('R29: the same program gives the same results and the same state on both stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(accountCommand, { minLength: 1, maxLength: 30 }), async (commands) => {
        const sqlite = await openSqlite(':memory:');
        try {
          const reference = makeFixture(memoryStore());
          const candidate = makeFixture(sqlite);
          for (const [step, command] of commands.entries()) {
            // Distinct activation instants keep the list order independent of key order.
            const at = new Date(Date.UTC(2026, 10, 25, 3, 0, step));
            reference.setNow(at);
            candidate.setNow(at);
            const expected = await runCommand(reference.cx, command);
            const actual = await runCommand(candidate.cx, command);
            expect(actual, `step ${step}: ${JSON.stringify(command)}`).toBe(expected);
          }
          expect(await comparable(candidate.cx)).toEqual(await comparable(reference.cx));
        } finally {
          await sqlite.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});

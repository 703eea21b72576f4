import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { makeFixture } from '../../testing/conformance-fixture.js';
import { accountCommand, runCommand, SEED_COMMANDS } from './account-commands.js';
import { mentionsCustomer, observe, violations } from './account-invariants.js';

// Counted by the closing note: runs × commands per run.
const RUNS = 150;

describe('account model (memory store)', () => {
  it('R3 R4 R5 R6 R15 R16 R17 R30 R32 R36 R42: invariants hold after every command, and a failed command changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(accountCommand, { minLength: 1, maxLength: 40 }), async (commands) => {
        const { cx } = makeFixture(memoryStore());
        for (const command of SEED_COMMANDS) expect(await runCommand(cx, command)).toBe('ok');
        let state = await observe(cx);
        for (const command of commands) {
          const outcome = await runCommand(cx, command);
          const next = await observe(cx);
          expect(violations(next), JSON.stringify(command)).toEqual([]);
          // A refused command leaves the observable state exactly as it was (R28).
          if (outcome !== 'ok') expect(next, `${outcome} after ${JSON.stringify(command)}`).toEqual(state);
          // R42: after an erasure no read answers anything of that customer.
          if (outcome === 'ok' && command.op === 'erase') expect(mentionsCustomer(next, command.domainId, command.customerId)).toBe(false);
          state = next;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('R28 R30 R32: invariants hold when commands run concurrently, and the events replay to the final state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(accountCommand, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }), async (batches) => {
        const { cx } = makeFixture(memoryStore());
        for (const command of SEED_COMMANDS) expect(await runCommand(cx, command)).toBe('ok');
        for (const batch of batches) {
          const outcomes = await Promise.all(batch.map((command) => runCommand(cx, command)));
          expect(outcomes.every((outcome) => typeof outcome === 'string')).toBe(true);
          expect(violations(await observe(cx))).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * The early return of `straight` (`src/internal/straight.ts`): the scoped form, where each body
 * gets a `take` of its own, against the form before it (one module-wide `take` that threw a
 * private class, rebuilt here as the baseline), in the same run.
 * `npx tsx test/bench/straight.bench.ts [--calls 400000] [--rounds 5]`.
 *
 * Each call is shaped like an operation: an outer body unwraps three `ok`s and runs an inner
 * body (the transaction's work) that unwraps two more; one call in ten meets an `err` inside.
 * Rounds alternate between the two sides; the best round of each counts, in CPU time (the
 * machine is shared). The scoped form makes one small scope object and one bound `take` per
 * body (a fresh closure per body measured 2.5× the old form: V8 did not inline it); what
 * counts is the share of a whole operation: the same run times
 * `conversations.receiveMessage` on the memory store (the cheapest store, so the largest share;
 * it runs three bodies).
 * Goal: the extra cost of the scoped form ≤ 2 % of that receiveMessage call.
 */
import { err, ok, type Result } from 'neverthrow';
import { straight } from '../../src/internal/straight.js';
import { benchOption, receiveMessageCpuMicros } from './bench-support.js';

const CALLS = benchOption('calls', 400_000);
const ROUNDS = benchOption('rounds', 5);

// The form before: one `take` for every body, which threw this class.
class EarlyErr {
  constructor(readonly error: unknown) {}
}
function oldTake<T, E>(result: Result<T, E>): T {
  if (result.isErr()) throw new EarlyErr(result.error);
  return result.value;
}
async function oldStraight<T, E>(body: () => PromiseLike<Result<T, E>>): Promise<Result<T, E>> {
  try {
    return await body();
  } catch (thrown) {
    if (thrown instanceof EarlyErr) return err(thrown.error as E);
    throw thrown;
  }
}

type Failure = { code: string };
const one: Result<number, Failure> = ok(1);
const failing: Result<number, Failure> = err({ code: 'not_found' });

async function oldCall(index: number): Promise<Result<number, Failure>> {
  return oldStraight(async () => {
    const a = oldTake(one) + oldTake(one) + oldTake(one);
    return oldStraight<number, Failure>(async () => {
      const b = oldTake(one) + oldTake(index % 10 === 0 ? failing : one);
      return ok(a + b);
    });
  });
}

async function newCall(index: number): Promise<Result<number, Failure>> {
  return straight<number, Failure>(async (take) => {
    const a = take(one) + take(one) + take(one);
    return straight<number, Failure>(async (takeInner) => {
      const b = takeInner(one) + takeInner(index % 10 === 0 ? failing : one);
      return ok(a + b);
    });
  });
}

const cpuMillis = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function round(call: (index: number) => Promise<Result<number, Failure>>): Promise<number> {
  let errs = 0;
  const start = process.cpuUsage();
  for (let index = 0; index < CALLS; index++) if ((await call(index)).isErr()) errs++;
  const elapsed = cpuMillis(start);
  if (errs !== CALLS / 10) throw new Error(`expected ${CALLS / 10} errs, got ${errs}`);
  return elapsed;
}

let bestOld = Infinity;
let bestNew = Infinity;
await round(oldCall);
await round(newCall);
for (let index = 0; index < ROUNDS; index++) {
  bestOld = Math.min(bestOld, await round(oldCall));
  bestNew = Math.min(bestNew, await round(newCall));
}
const perCall = (ms: number) => `${((ms * 1000) / CALLS).toFixed(3)} µs`;
console.log(`straight, ${CALLS} calls (1 in 10 an err), best of ${ROUNDS}, CPU time`);
console.log(`  before (module-wide take): ${perCall(bestOld)} a call`);
console.log(`  now (scoped take):         ${perCall(bestNew)} a call`);
// CPU µs of one whole receiveMessage, against which the extra cost is a share.
const operation = await receiveMessageCpuMicros(20_000, ROUNDS);
const extra = (bestNew - bestOld) / CALLS;
const share = extra / (operation / 1000);
console.log(`  ratio now / before: ${(bestNew / bestOld).toFixed(2)}×; extra ${(extra * 1000).toFixed(3)} µs a call (two bodies)`);
console.log(`  memory-store receiveMessage: ${operation.toFixed(2)} µs CPU a call (three bodies)`);
console.log(`  extra cost as a share of that call: ${(share * 150).toFixed(1)} % (three bodies; goal ≤ 2 %) ${share * 150 <= 2 ? 'met' : 'NOT met'}`);

/**
 * Validation by zod alone (issue 20, item 3): what the inputs of one `receiveMessage` cost to
 * check, against the whole call on the memory store (the cheapest store, so the largest share),
 * in the same run. `npx tsx test/bench/validation.bench.ts [--calls 200000] [--rounds 5]`.
 *
 * The hand-written fast checks that ran before zod are gone: every rule is defined once, in its
 * schema. `parseInput` parses without options (zod 4.6 spends about 1 µs on any parse given
 * options, which this run shows as "with options") and only a refused input is parsed again
 * with our message function. Stored settings are read through their schema on every account
 * lookup. zod's JIT is on (its default; `z.config({ jitless: true })` would turn it off).
 * Best round of each, CPU time (the machine is shared).
 * Goal: the checks of one receiveMessage (domain id, account ID, the input, the stored
 * settings) ≤ 5 % of that call.
 */
import * as z from 'zod';
import { readStoredSettings } from '../../src/accounts/stored-settings.js';
import { receiveSchema } from '../../src/conversations/conversation-operations.js';
import type { AccountSettings } from '../../src/schedule/schedule-types.js';
import { accountIdSchema, domainIdSchema } from '../../src/validation/identifiers.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { benchOption, receiveMessageCpuMicros } from './bench-support.js';

const CALLS = benchOption('calls', 200_000);
const ROUNDS = benchOption('rounds', 5);

const allDay = [{ from: '00:00', to: '24:00' }];
const weeklyHours = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
const settings: AccountSettings = {
  timeZone: 'Asia/Seoul',
  weeklyHours,
  welcomeMessage: 'Welcome',
  awayMessage: 'We are away',
  holidayMessage: '',
  holidays: [{ id: 'h1', start: '2026-12-25', end: '2026-12-25', label: 'Christmas' }],
  channels: { line: true, mail: true },
};
const input = { customerId: 'c1', content: 'hello, is anyone there?', channel: 'line' };

/** CPU microseconds a call of `work`, best of `ROUNDS` after a warm-up round. */
function microsPerCall(work: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round <= ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let index = 0; index < CALLS; index++) work();
    const used = process.cpuUsage(start);
    if (round > 0) best = Math.min(best, (used.user + used.system) / CALLS);
  }
  return best;
}

function mustPass(answer: { isOk(): boolean }): void {
  if (!answer.isOk()) throw new Error('a valid input was refused');
}


const withOptions = { error: () => undefined } satisfies z.core.ParseContext<z.core.$ZodIssue>;
const figures = {
  domainId: microsPerCall(() => mustPass(parseInput(domainIdSchema, 'acme', 'domainId'))),
  accountId: microsPerCall(() => mustPass(parseInput(accountIdSchema, 'desk', 'accountId'))),
  input: microsPerCall(() => mustPass(parseInput(receiveSchema, input))),
  settings: microsPerCall(() => readStoredSettings(settings)),
};
const inputWithOptions = microsPerCall(() => receiveSchema.safeParse(input, withOptions));
const operation = await receiveMessageCpuMicros(20_000, ROUNDS);
const checks = figures.domainId + figures.accountId + figures.input + figures.settings;
const share = (checks / operation) * 100;
const show = (micros: number) => `${micros.toFixed(3)} µs`;
console.log(`validation by zod alone, ${CALLS} calls each, best of ${ROUNDS}, CPU time`);
console.log(`  domain id ${show(figures.domainId)}, account ID ${show(figures.accountId)}, receiveMessage input ${show(figures.input)}, stored settings ${show(figures.settings)}`);
console.log(`  the same input parsed with options (what parseInput no longer does on a valid input): ${show(inputWithOptions)}`);
console.log(`  memory-store receiveMessage: ${operation.toFixed(2)} µs CPU a call`);
console.log(`  the checks of one call: ${show(checks)}, ${share.toFixed(1)} % of it (goal ≤ 5 %) ${share <= 5 ? 'MET' : 'NOT MET'}`);

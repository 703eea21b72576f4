/**
 * What several benchmarks share: reading `--name value` options, and the CPU time of one
 * `conversations.receiveMessage` on the memory store (the cheapest store, so the largest
 * share of a call), the whole against which the micro-benchmarks state their share.
 */
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { memoryStore } from '../../adapters/memory/memory-store.js';
import { createCxAccounts } from '../../src/cx-accounts.js';

const args = process.argv.slice(2);

/** The number after `--name` on the command line, else `fallback`. */
export function benchOption(name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
}

/**
 * CPU microseconds of one `receiveMessage` on a memory store (an account open all week, one
 * contact), best of `rounds` rounds of `messages` calls after a warm-up round.
 */
export async function receiveMessageCpuMicros(messages: number, rounds: number): Promise<number> {
  const cx = createCxAccounts({
    store: memoryStore(),
    directory: memoryDirectory([{ domainId: 'acme', id: 'm1', name: 'Kim', email: 'kim@acme.test' }]),
    contactUrlBase: 'https://talk.example.com/add/',
  });
  const allDay = [{ from: '00:00', to: '24:00' }];
  const weeklyHours = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
  const steps = [
    await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 10 }),
    await cx.accounts.create('acme', { productId: 'basic', name: 'Desk', id: 'desk', agentIds: ['m1'] }),
    await cx.settings.update('acme', 'desk', { weeklyHours }),
    await cx.conversations.addContact('acme', 'desk', { customerId: 'c1', name: 'Lee', channel: 'line' }),
  ];
  for (const step of steps) if (step.isErr()) throw new Error(step.error.message);
  let best = Infinity;
  for (let round = 0; round <= rounds; round++) {
    const start = process.cpuUsage();
    for (let message = 0; message < messages; message++) {
      const answer = await cx.conversations.receiveMessage('acme', 'desk', { customerId: 'c1', content: 'hello', channel: 'line' });
      if (answer.isErr()) throw new Error(answer.error.message);
    }
    const used = process.cpuUsage(start);
    // The first round warms up.
    if (round > 0) best = Math.min(best, (used.user + used.system) / messages);
  }
  return best;
}

/**
 * Integrating with your chat transport: a consumer of the event log. Run it with
 * `npx tsx examples/chat-transport.ts`; `guides/integrating-with-your-chat-transport.md`
 * walks through it.
 *
 * The app changes accounts through cx-accounts; a consumer reads the domain's events after
 * the last `seq` it handled and tells the chat transport what to do (tear down the rooms of a
 * reset account, move rooms whose agent left, revoke access). It saves its position after
 * each event, so after a crash it resumes where it was: delivery is at least once, and the
 * handler skips what it has already applied (by `seq`), so every event is applied once.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCxAccounts, type CxAccounts, type CxEvent } from '../src/index.js';
import { memoryDirectory } from '../adapters/memory/index.js';
import { openSqlite } from '../adapters/sql/index.js';

/** Where the consumer keeps the last `seq` it handled: a file here, a table row in an app. */
type Checkpoint = { load(): Promise<number>; save(seq: number): Promise<void> };

function fileCheckpoint(path: string): Checkpoint {
  return {
    load: async () => Number(await readFile(path, 'utf8').catch(() => '0')),
    save: (seq) => writeFile(path, String(seq)),
  };
}

/** A stand-in for the chat transport: it only logs what it is asked to do. */
const transport = {
  applied: new Set<number>(),
  log: [] as string[],
  /** Applies an event once: a redelivered `seq` is skipped (idempotent by `seq`). */
  apply(event: CxEvent): void {
    if (this.applied.has(event.seq)) {
      this.log.push(`skip #${event.seq} (already applied)`);
      return;
    }
    this.applied.add(event.seq);
    switch (event.type) {
      case 'account.reset':
        this.log.push(`#${event.seq} tear down rooms ${event.data.deletedRoomIds.length} and bots ${event.data.deletedBotIds.join(',') || '-'} of ${event.accountId}`);
        break;
      case 'agents.removed':
        this.log.push(`#${event.seq} ${event.data.memberIds.join(',')} left ${event.accountId}; rooms handed over: ${event.data.roomIds.length}`);
        for (const member of event.data.lostAccessIds) this.log.push(`#${event.seq} revoke console access of ${member}`);
        break;
      case 'agents.added':
        for (const member of event.data.gainedAccessIds) this.log.push(`#${event.seq} grant console access to ${member}`);
        break;
      case 'auto_reply.sent':
        this.log.push(`#${event.seq} deliver ${event.data.kind} reply to ${event.data.customerId}`);
        break;
      default:
        this.log.push(`#${event.seq} ${event.type}`);
    }
  },
};

/**
 * One pass of the consumer: reads pages after the checkpoint and applies each event, saving
 * the position after each. `crashAfter` simulates a process that dies after applying an
 * event but before saving its position.
 */
async function consume(cx: CxAccounts, domainId: string, checkpoint: Checkpoint, crashAfter?: number): Promise<number> {
  let after = await checkpoint.load();
  for (;;) {
    const page = await cx.events.read(domainId, { after, limit: 100 });
    if (page.isErr()) throw new Error(`reading events failed: ${page.error.message}`);
    for (const event of page.value.events) {
      transport.apply(event);
      if (event.seq === crashAfter) return after; // died before saving: this event comes again
      after = event.seq;
      await checkpoint.save(after);
    }
    if (after >= page.value.lastSeq) return after;
  }
}

async function main() {
  const folder = await mkdtemp(join(tmpdir(), 'cx-transport-'));
  const store = await openSqlite(join(folder, 'cx.sqlite'));
  const cx = createCxAccounts({
    store,
    directory: memoryDirectory([
      { domainId: 'acme', id: 'minji', name: 'Kim Minji', email: 'minji@acme.test' },
      { domainId: 'acme', id: 'haruto', name: 'Sato Haruto', email: 'haruto@acme.test' },
    ]),
    contactUrlBase: 'https://talk.example.com/add/',
  }).as('admin:console');
  const checkpoint = fileCheckpoint(join(folder, 'checkpoint'));

  await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 2, quantity: 2 });
  await cx.accounts.create('acme', { productId: 'basic', name: 'Help desk', id: 'help', agentIds: ['minji', 'haruto'] });
  await cx.settings.update('acme', 'help', { awayMessage: 'We are closed; back at 9.' });
  await cx.conversations.addContact('acme', 'help', { customerId: 'lee', name: 'Lee', channel: 'line' });
  await cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'lee', agentIds: ['minji'] });
  await cx.conversations.receiveMessage('acme', 'help', { customerId: 'lee', content: 'Hello?', channel: 'line', at: new Date('2026-11-28T22:00:00Z') });
  await cx.agents.remove('acme', 'help', 'minji');

  // First pass: the process dies right after applying event 7, before saving its position.
  const saved = await consume(cx, 'acme', checkpoint, 7);
  console.log(`first pass stopped; saved position ${saved}`);
  // Meanwhile the app goes on.
  await cx.accounts.reset('acme', 'help');
  // Second pass, as a restarted process would: event 7 comes again and is skipped.
  const last = await consume(cx, 'acme', checkpoint);
  console.log(`second pass done; saved position ${last}`);
  for (const line of transport.log) console.log(`  ${line}`);
  console.log(`applied ${transport.applied.size} events once each`);

  await store.close();
  await rm(folder, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

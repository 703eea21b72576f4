import { beforeEach, describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { createCxAccounts, type CxAccounts } from '../../src/cx-accounts.js';
import { CONTACT_URL_BASE, FIXTURE_MEMBERS, type Fixture } from '../conformance-fixture.js';
import { readAllEvents } from './events.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';
import { snapshot } from './snapshot.js';

/**
 * The edges of the third round (R16, R33, R40, R43, R47, R48, R50): cases found by using the
 * library as a new user and by attacking it, each on every store.
 */
export function roundThreeEdgeCases(fixture: () => Fixture) {
  /** A second `cx` on the fixture's store and clock whose backups run only when asked. */
  const manualCx = (f: Fixture): CxAccounts =>
    createCxAccounts({
      store: f.store,
      directory: memoryDirectory(FIXTURE_MEMBERS),
      contactUrlBase: CONTACT_URL_BASE,
      clock: f.now,
      backups: { runner: 'manual' },
    });

  describe('round three: the edges', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx, { seatLimit: 3, quantity: 3 });
      await seedAccount(f.cx, { agentIds: ['u1', 'u2'] });
      // 2026-11-25 is a Wednesday: 10:00 UTC is inside the default hours, so no away reply.
      f.setNow('2026-11-25T10:00:00Z');
    });

    it('R43: sendMessage to a customer whose last channel is off is channel_disconnected and records nothing', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'lineworks' }));
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'hi', channel: 'mail' }));
      expectOk(await f.cx.settings.update('acme', 'help', { channels: { mail: false } }));
      const before = await snapshot(f.cx);
      expectErr(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'hello' }), 'channel_disconnected');
      expect(await snapshot(f.cx)).toEqual(before);
      // The customer writes again through lineworks (always connected): the reply goes out there.
      expectOk(await f.cx.conversations.receiveMessage('acme', 'help', { customerId: 'c1', content: 'still there?', channel: 'lineworks' }));
      expectOk(await f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId: 'c1', content: 'yes' }));
      const { items } = expectOk(await f.cx.conversations.history('acme', { customerId: 'c1' }));
      expect(items.map((message) => [message.content, message.channel])).toEqual([
        ['hi', 'mail'],
        ['still there?', 'lineworks'],
        ['yes', 'lineworks'],
      ]);
    });

    it('R25: downloading a pending backup says it is pending, not running', async () => {
      const cx = manualCx(f);
      const job = expectOk(await cx.history.startBackup('acme'));
      expect(job.status).toBe('pending');
      const refused = expectErr(await cx.history.download('acme', job.id), 'backup_not_ready');
      expect(refused.message).toContain('is pending: no runner has taken it up yet');
      expect(refused.message).not.toContain('running');
      expectErr(await cx.history.downloadStream('acme', job.id), 'backup_not_ready');
      expectOk(await cx.history.runPendingBackups());
      expect(expectOk(await cx.history.job('acme', job.id)).status).toBe('ready');
    });

    it('R33: backup events of a runner called through cx.as(actor) carry that actor', async () => {
      const cx = manualCx(f);
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      const first = expectOk(await cx.as('admin:u1').history.startBackup('acme'));
      expectOk(await cx.as('worker:nightly').history.runPendingBackups());
      const second = expectOk(await cx.history.startBackup('acme'));
      expectOk(await cx.as('worker:queue').history.runBackup('acme', second.id));
      const third = expectOk(await cx.history.startBackup('acme'));
      expectOk(await cx.history.runPendingBackups());
      const backupEvents = (await readAllEvents(f.cx, 'acme'))
        .filter((event) => event.type.startsWith('backup.'))
        .map((event) => [event.type, (event.data as { jobId?: string }).jobId, event.actor]);
      expect(backupEvents).toEqual([
        ['backup.requested', first.id, 'admin:u1'],
        ['backup.ready', first.id, 'worker:nightly'],
        ['backup.requested', second.id, null],
        ['backup.ready', second.id, 'worker:queue'],
        ['backup.requested', third.id, null],
        ['backup.ready', third.id, null],
      ]);
    });

    it('R16: agents.remove takes one id or a list, all or nothing', async () => {
      expectOk(await f.cx.agents.add('acme', 'help', ['u3']));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      const consultation = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'consultation', customerId: 'c1', agentIds: ['u2'] }));
      const group = expectOk(await f.cx.conversations.openRoom('acme', 'help', { kind: 'group', agentIds: ['u2', 'u3'] }));
      const before = await snapshot(f.cx);
      expect(expectErr(await f.cx.agents.remove('acme', 'help', ['u2', 'u9']), 'not_found').entity).toBe('agent');
      expectErr(await f.cx.agents.remove('acme', 'help', ['u1', 'u2', 'u3']), 'last_agent');
      expectErr(await f.cx.agents.remove('acme', 'help', ['u2', 'u2']), 'validation');
      expectErr(await f.cx.agents.remove('acme', 'help', []), 'validation');
      expect(await snapshot(f.cx)).toEqual(before);
      const version = expectOk(await f.cx.accounts.get('acme', 'help')).version;

      const account = expectOk(await f.cx.agents.remove('acme', 'help', ['u2', 'u3']));
      expect(account.agentIds).toEqual(['u1']);
      expect(account.version).toBe(version + 1);
      const rooms = expectOk(await f.cx.conversations.rooms('acme', 'help'));
      expect(rooms.map((room) => [room.roomId, room.agentIds])).toEqual([
        [consultation.roomId, ['u1']],
        [group.roomId, ['u1']],
      ]);
      const removed = (await readAllEvents(f.cx, 'acme')).filter((event) => event.type === 'agents.removed');
      expect(removed.map((event) => event.data)).toEqual([
        { memberIds: ['u2', 'u3'], roomIds: [consultation.roomId, group.roomId], lostAccessIds: ['u2', 'u3'] },
      ]);
      expect(expectOk(await f.cx.agents.access('acme', 'u3'))).toEqual({ hasAccess: false, accountIds: [] });
      // One id as a string, as before.
      expectErr(await f.cx.agents.remove('acme', 'help', 'u1'), 'last_agent');
    });

    it('R47: incoming and outgoing messageIds are apart; the stored message carries the caller id; a replay answers the same, another message is id_taken', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'a', name: 'Ann', channel: 'line' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'b', name: 'Bo', channel: 'line' }));
      expectOk(await f.cx.settings.update('acme', 'help', { awayMessage: 'We are away.' }));
      const at = new Date('2026-11-25T10:00:00Z');
      const send = (customerId: string, content: string, messageId: string) =>
        f.cx.conversations.sendMessage('acme', 'help', { agentId: 'u1', customerId, content, at, messageId });
      const receive = (customerId: string, content: string, messageId: string, when = at) =>
        f.cx.conversations.receiveMessage('acme', 'help', { customerId, content, channel: 'line', at: when, messageId });

      // An agent reply to A under `x`; then customer B writes under the same id: both are kept.
      expect(expectOk(await send('a', 'Hello Ann', 'x'))).toBeUndefined();
      expect(expectOk(await receive('b', 'Hi there', 'x'))).toBeNull();
      // Replays answer exactly what the first call answered, and record nothing.
      const before = await snapshot(f.cx);
      expect(expectOk(await send('a', 'Hello Ann', 'x'))).toBeUndefined();
      expect(expectOk(await receive('b', 'Hi there', 'x'))).toBeNull();
      expect(await snapshot(f.cx)).toEqual(before);
      // The same id with another message, in the same direction: id_taken, nothing recorded.
      expectErr(await send('b', 'Hello Ann', 'x'), 'id_taken');
      expectErr(await send('a', 'Hello again', 'x'), 'id_taken');
      expectErr(await receive('a', 'Hi there', 'x'), 'id_taken');
      expectErr(await receive('b', 'Hi there', 'x', new Date('2026-11-25T10:00:01Z')), 'id_taken');
      expect(await snapshot(f.cx)).toEqual(before);

      // At night the away reply is the answer; its replay answers it again.
      const night = new Date('2026-11-25T23:00:00Z');
      expect(expectOk(await receive('a', 'anyone?', 'y', night))).toEqual({ kind: 'away', text: 'We are away.' });
      expect(expectOk(await receive('a', 'anyone?', 'y', night))).toEqual({ kind: 'away', text: 'We are away.' });

      // One id everywhere: history, events and a backup.
      const { items } = expectOk(await f.cx.conversations.history('acme', { limit: 1 }));
      const all = [...items];
      let cursor = expectOk(await f.cx.conversations.history('acme', { limit: 1 })).nextCursor;
      while (cursor) {
        const page = expectOk(await f.cx.conversations.history('acme', { limit: 1, cursor }));
        all.push(...page.items);
        cursor = page.nextCursor;
      }
      const transported = all.filter((message) => message.sender.kind !== 'account');
      expect(transported.map((message) => [message.messageId, message.customerId, message.sender.kind, message.content])).toEqual([
        ['x', 'a', 'agent', 'Hello Ann'],
        ['x', 'b', 'customer', 'Hi there'],
        ['y', 'a', 'customer', 'anyone?'],
      ]);
      const events = (await readAllEvents(f.cx, 'acme')).filter((event) => event.type === 'message.sent' || event.type === 'message.received');
      expect(events.map((event) => [event.type, (event.data as { messageId: string }).messageId])).toEqual([
        ['message.sent', 'x'],
        ['message.received', 'x'],
        ['message.received', 'y'],
      ]);
      const cx = manualCx(f);
      const job = expectOk(await cx.history.startBackup('acme', { format: 'jsonl' }));
      expectOk(await cx.history.runPendingBackups());
      const chunks: Uint8Array[] = [];
      for await (const chunk of expectOk(await cx.history.download('acme', job.id))) chunks.push(chunk);
      const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
      expect(lines.filter((line) => line.sender_kind !== 'account').map((line) => [line.customer_id, line.content])).toEqual([
        ['a', 'Hello Ann'],
        ['b', 'Hi there'],
        ['a', 'anyone?'],
      ]);
    });

    it('R40: contacts by accountUid page the contacts of an account, active or reset; a uid of another ID or domain is not_found', async () => {
      const first = expectOk(await f.cx.accounts.get('acme', 'help'));
      for (const customerId of ['c1', 'c2', 'c3']) {
        expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId, name: `Customer ${customerId}`, channel: 'line' }));
      }
      expectOk(await f.cx.accounts.reset('acme', 'help'));
      const second = await seedAccount(f.cx, { id: 'help', agentIds: ['u1'] });
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c9', name: 'New', channel: 'line' }));
      await seedAccount(f.cx, { id: 'other', agentIds: ['u1'] });

      const page1 = expectOk(await f.cx.conversations.contacts('acme', 'help', { accountUid: first.uid, limit: 2 }));
      expect(page1.items.map((contact) => contact.customerId)).toEqual(['c1', 'c2']);
      const page2 = expectOk(await f.cx.conversations.contacts('acme', 'help', { accountUid: first.uid, limit: 2, cursor: page1.nextCursor }));
      expect(page2).toMatchObject({ items: [{ customerId: 'c3', name: 'Customer c3', channel: 'line' }], nextCursor: null });
      expect(expectOk(await f.cx.conversations.contacts('acme', 'hELP', { accountUid: second.uid })).items.map((contact) => contact.customerId)).toEqual(['c9']);
      expect(expectOk(await f.cx.conversations.contacts('acme', 'help')).items.map((contact) => contact.customerId)).toEqual(['c9']);
      expect(expectErr(await f.cx.conversations.contacts('acme', 'other', { accountUid: first.uid }), 'not_found').entity).toBe('account');
      expectErr(await f.cx.conversations.contacts('globex', 'help', { accountUid: first.uid }), 'not_found');
      expectErr(await f.cx.conversations.contacts('acme', 'help', { accountUid: 'no-such-uid' }), 'not_found');
      expectErr(await f.cx.conversations.contacts('acme', 'help', { accountUid: '' }), 'validation');
    });

    it('R48 R50: names compare without default-ignorables and fillers; name_taken names the account that holds the name', async () => {
      const lookAlikes = ['\uFE0F', '\uFE00', '\u{E0100}', '\u034F', '\u180B', '\u17B4', '\u3164', '\u115F', '\u2800'].map((mark) => `Desk help${mark}`);
      for (const name of lookAlikes) {
        const refused = expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name, id: 'copy', agentIds: ['u1'] }), 'name_taken');
        expect(refused.accountId, JSON.stringify(name)).toBe('help');
      }
      const other = await seedAccount(f.cx, { id: 'other', name: 'Other' });
      expect(expectErr(await f.cx.accounts.update('acme', 'other', { name: 'DESK HELP\uFE0F' }), 'name_taken').accountId).toBe('help');
      // Emoji with VS16 stay usable; a name may be renamed to a look-alike of itself.
      expect(expectOk(await f.cx.accounts.update('acme', 'other', { name: '❤️ Care' })).name).toBe('❤️ Care');
      expectErr(await f.cx.accounts.create('acme', { productId: 'basic', name: '❤ Care', id: 'care', agentIds: ['u1'] }), 'name_taken');
      expectOk(await f.cx.accounts.update('acme', 'help', { name: 'Desk help\u3164' }));
      expect(other.id).toBe('other');
    });
  });
}

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
  });
}

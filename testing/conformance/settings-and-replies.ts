import { beforeEach, describe, expect, it } from 'vitest';
import type { Fixture } from '../conformance-fixture.js';
import { expectErr, expectOk } from './expectations.js';
import { seedAccount, seedProduct } from './seed.js';

export function settingsAndReplyCases(fixture: () => Fixture) {
  describe('settings, holidays and automatic replies', () => {
    let f: Fixture;
    beforeEach(async () => {
      f = fixture();
      await seedProduct(f.cx);
      await seedAccount(f.cx, { agentIds: ['u1'] });
    });

    const receive = (customerId: string, at: string) =>
      f.cx.conversations.receiveMessage('acme', 'help', { customerId, content: 'hello', channel: 'line', at: new Date(at) });

    it('R14: a new account opens Monday to Friday 09:00-18:00 in the default time zone', async () => {
      const { settings } = expectOk(await f.cx.accounts.get('acme', 'help'));
      const weekday = [{ from: '09:00', to: '18:00' }];
      expect(settings).toEqual({
        timeZone: 'UTC',
        weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [], sun: [] },
        welcomeMessage: '',
        awayMessage: '',
        holidayMessage: '',
        holidays: [],
        channels: { line: true, mail: true },
      });
    });

    it('R18: updates only the days named, validates ranges and the time zone', async () => {
      const updated = expectOk(
        await f.cx.settings.update('acme', 'help', {
          timeZone: 'Asia/Seoul',
          weeklyHours: { sat: [{ from: '13:00', to: '24:00' }, { from: '10:00', to: '12:00' }], mon: [] },
        }),
      );
      expect(updated.settings.timeZone).toBe('Asia/Seoul');
      expect(updated.settings.weeklyHours.sat).toEqual([{ from: '10:00', to: '12:00' }, { from: '13:00', to: '24:00' }]);
      expect(updated.settings.weeklyHours.mon).toEqual([]);
      expect(updated.settings.weeklyHours.tue).toEqual([{ from: '09:00', to: '18:00' }]);
      const refused: [unknown, string][] = [
        [{ weeklyHours: { mon: [{ from: '09:00', to: '25:00' }] } }, 'weeklyHours.mon.0.to'],
        [{ weeklyHours: { mon: [{ from: '10:00', to: '09:00' }] } }, 'weeklyHours.mon.0'],
        [{ weeklyHours: { tue: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '13:00' }] } }, 'weeklyHours.tue.1'],
        [{ weeklyHours: { funday: [] } }, 'weeklyHours'],
        [{ timeZone: 'Mars/Base' }, 'timeZone'],
        [{ awayMessage: 'x'.repeat(501) }, 'awayMessage'],
      ];
      for (const [input, path] of refused) {
        const error = expectErr(await f.cx.settings.update('acme', 'help', input as never), 'validation');
        expect(error.issues.some((issue) => issue.path.startsWith(path)), `${path}: ${JSON.stringify(error.issues)}`).toBe(true);
      }
      expect(expectOk(await f.cx.accounts.get('acme', 'help')).version).toBe(2);
    });

    it('R19: messages hold at most 500 user-perceived characters', async () => {
      expectOk(await f.cx.settings.update('acme', 'help', { welcomeMessage: '안녕'.repeat(250) }));
      expectErr(await f.cx.settings.update('acme', 'help', { welcomeMessage: '안녕'.repeat(250) + '!' }), 'validation');
    });

    it('R20: holidays start today or later in the account time zone and do not overlap', async () => {
      // 2026-11-25T03:00Z is already 12:00 on the 25th in Seoul, and still the 24th in Honolulu.
      expectOk(await f.cx.settings.update('acme', 'help', { timeZone: 'Pacific/Honolulu' }));
      expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-11-24', end: '2026-11-24' }));
      expectOk(await f.cx.settings.update('acme', 'help', { timeZone: 'Asia/Seoul' }));
      expectErr(await f.cx.holidays.add('acme', 'help', { start: '2026-11-24', end: '2026-11-30' }), 'holiday_in_past');
      const added = expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-24', end: '2026-12-26', label: 'Christmas' }));
      const christmas = added.settings.holidays.find((holiday) => holiday.label === 'Christmas')!;
      expect(christmas).toMatchObject({ start: '2026-12-24', end: '2026-12-26', id: expect.any(String) });
      expectErr(await f.cx.holidays.add('acme', 'help', { start: '2026-12-26', end: '2026-12-27' }), 'holiday_overlap');
      expectErr(await f.cx.holidays.add('acme', 'help', { start: '2026-12-20', end: '2026-12-31' }), 'holiday_overlap');
      expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-27', end: '2026-12-27' }));
      expect(expectErr(await f.cx.holidays.add('acme', 'help', { start: '2026-12-10', end: '2026-12-09' }), 'validation').issues[0]?.path).toBe('end');
      expectErr(await f.cx.holidays.add('acme', 'help', { start: '2026-02-30', end: '2026-03-01' }), 'validation');
      expect(expectErr(await f.cx.holidays.remove('acme', 'help', 'no-such-id'), 'not_found').entity).toBe('holiday');
      const removed = expectOk(await f.cx.holidays.remove('acme', 'help', christmas.id));
      expect(removed.settings.holidays.map((holiday) => holiday.start)).toEqual(['2026-11-24', '2026-12-27']);
    });

    it('R23: one away reply per customer per closed stretch, none while open', async () => {
      expectOk(await f.cx.settings.update('acme', 'help', { timeZone: 'Asia/Seoul', awayMessage: 'Closed now' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c2', name: 'Park', channel: 'lineworks' }));
      // Wednesday 2026-11-25, Seoul (UTC+9): 23:00 local is 14:00Z.
      const night = ['2026-11-25T14:00:00Z', '2026-11-25T15:00:00Z', '2026-11-25T20:00:00Z', '2026-11-25T23:59:00Z'];
      const replies = [];
      for (const at of night) replies.push(expectOk(await receive('c1', at)));
      expect(replies).toEqual([{ kind: 'away', text: 'Closed now' }, null, null, null]);
      expect(expectOk(await receive('c2', '2026-11-25T16:00:00Z'))).toEqual({ kind: 'away', text: 'Closed now' });
      // Thursday 10:00 local is open; that evening is a new stretch.
      expect(expectOk(await receive('c1', '2026-11-26T01:00:00Z'))).toBeNull();
      expect(expectOk(await receive('c1', '2026-11-26T10:00:00Z'))).toEqual({ kind: 'away', text: 'Closed now' });
    });

    it('R23: holidays answer with the holiday message, once per holiday stretch', async () => {
      expectOk(
        await f.cx.settings.update('acme', 'help', {
          timeZone: 'America/New_York',
          awayMessage: 'Away',
          holidayMessage: 'Happy holidays',
        }),
      );
      expectOk(await f.cx.holidays.add('acme', 'help', { start: '2026-12-24', end: '2026-12-25' }));
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      // 2026-12-24 10:00 in New York (UTC-5) is 15:00Z: a Thursday, normally open.
      expect(expectOk(await receive('c1', '2026-12-24T15:00:00Z'))).toEqual({ kind: 'holiday', text: 'Happy holidays' });
      expect(expectOk(await receive('c1', '2026-12-25T20:00:00Z'))).toBeNull();
      // Saturday after the holiday: closed, so away, a new state.
      expect(expectOk(await receive('c1', '2026-12-26T15:00:00Z'))).toEqual({ kind: 'away', text: 'Away' });
    });

    it('R23: an empty message sends nothing, and messages are recorded all the same', async () => {
      expectOk(await f.cx.conversations.addContact('acme', 'help', { customerId: 'c1', name: 'Lee', channel: 'line' }));
      expect(expectOk(await receive('c1', '2026-11-25T23:00:00Z'))).toBeNull();
      expectOk(await f.cx.settings.update('acme', 'help', { awayMessage: 'Away' }));
      expect(expectOk(await receive('c1', '2026-11-25T23:30:00Z'))).toEqual({ kind: 'away', text: 'Away' });
    });
  });
}

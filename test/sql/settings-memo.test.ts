import { describe, expect, it } from 'vitest';
import { memoryDirectory } from '../../adapters/memory/memory-directory.js';
import { openSqlite } from '../../adapters/sql/sqlite/open-sqlite.js';
import { settingsMemo, timeZoneOfSettings } from '../../adapters/sql/store/settings-memo.js';
import { createCxAccounts } from '../../src/cx-accounts.js';

describe('SQL store: stored settings parsed once per text', () => {
  it('answers one frozen value per account and text, and a new one when the text changes', () => {
    const settingsOf = settingsMemo();
    const text = JSON.stringify({ timeZone: 'Asia/Seoul', holidays: [{ id: 'h', start: '2026-01-01', end: '2026-01-01' }] });
    const first = settingsOf('k1', text);
    expect(settingsOf('k1', `${text}`)).toBe(first);
    expect(settingsOf('k1', text.slice(0, 5) + text.slice(5))).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.holidays) && Object.isFrozen(first.holidays[0])).toBe(true);
    const changed = settingsOf('k1', text.replace('Asia/Seoul', 'UTC'));
    expect(changed.timeZone).toBe('UTC');
    expect(first.timeZone).toBe('Asia/Seoul');
    // Another account with the same text gets its own entry; the first account's stays current.
    expect(settingsOf('k2', text).timeZone).toBe('Asia/Seoul');
    expect(settingsOf('k1', text.replace('Asia/Seoul', 'UTC'))).toBe(changed);
  });

  it('history reads take the time zone from it, UTC for settings that hold none', () => {
    const settingsOf = settingsMemo();
    expect(timeZoneOfSettings(settingsOf('k1', '{"timeZone":"Asia/Seoul"}'))).toBe('Asia/Seoul');
    expect(timeZoneOfSettings(settingsOf('k2', '{"awayMessage":""}'))).toBe('UTC');
    expect(timeZoneOfSettings(settingsOf('k3', 'null'))).toBe('UTC');
  });

  it('R14: an app gets settings of its own to change, read after read', async () => {
    const store = await openSqlite(':memory:');
    try {
      const cx = createCxAccounts({
        store,
        directory: memoryDirectory([{ domainId: 'acme', id: 'u1', name: 'U1', email: 'u1@acme.test' }]),
        contactUrlBase: 'https://talk.example.com/add/',
      });
      expect((await cx.products.set('acme', { productId: 'basic', name: 'Basic', seatLimit: 5, quantity: 1 })).isOk()).toBe(true);
      expect((await cx.accounts.create('acme', { productId: 'basic', name: 'Help', id: 'help', agentIds: ['u1'] })).isOk()).toBe(true);
      const first = await cx.accounts.get('acme', 'help');
      const second = await cx.accounts.get('acme', 'help');
      if (first.isErr() || second.isErr()) throw new Error('the account was not read');
      expect(Object.isFrozen(first.value.settings) || Object.isFrozen(first.value.settings.weeklyHours.mon)).toBe(false);
      first.value.settings.weeklyHours.mon.push({ from: '01:00', to: '02:00' });
      first.value.settings.awayMessage = 'changed by the app';
      expect(second.value.settings.weeklyHours.mon).not.toContainEqual({ from: '01:00', to: '02:00' });
      const third = await cx.accounts.get('acme', 'help');
      expect(third.isOk() && third.value.settings.awayMessage).not.toBe('changed by the app');
    } finally {
      await store.close();
    }
  });
});

import type { AccountSettings } from '../../../src/schedule/schedule-types.js';

/** Accounts remembered per store; past this many the memo starts over. */
const MAX_REMEMBERED = 1024;

/**
 * Stored settings parsed once per store and settings text: every operation on an account
 * reads its row, and parsing the settings was the largest piece of the store's own work in
 * reading one. Remembered by account key with the text they were parsed from, and used only
 * while the row still holds that very text, so a change (by this process or another) is
 * parsed anew and nothing goes stale. (Keyed by the account rather than the text: a text read
 * from the database is a new string each time, and hashing it cost more than comparing it.)
 * The value is shared between reads, so it is deeply frozen; the core reads it into a copy of
 * its own (`readStoredSettings`) before anything sees it. History reads take an account's
 * time zone from it too ({@link timeZoneOfSettings}).
 */
export type SettingsMemo = (accountKey: string, settings: string) => AccountSettings;

/** A fresh memo, one per store. */
export function settingsMemo(): SettingsMemo {
  const parsed = new Map<string, { text: string; settings: AccountSettings }>();
  return (accountKey, text) => {
    const known = parsed.get(accountKey);
    if (known !== undefined && known.text === text) return known.settings;
    const settings = deepFreeze(JSON.parse(text) as AccountSettings);
    if (parsed.size >= MAX_REMEMBERED) parsed.clear();
    parsed.set(accountKey, { text, settings });
    return settings;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** The time zone of stored settings, or `'UTC'` when they hold none (a store that lost data). */
export function timeZoneOfSettings(settings: AccountSettings | null): string {
  const zone: unknown = settings?.timeZone;
  return typeof zone === 'string' ? zone : 'UTC';
}

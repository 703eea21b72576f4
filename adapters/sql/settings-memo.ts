import type { AccountSettings } from '../../src/schedule/schedule-types.js';

/** Settings texts remembered per store; past this many the memo starts over. */
const MAX_REMEMBERED = 1024;

/**
 * Stored settings by their JSON text, parsed once per store: every operation on an account
 * reads its row, and parsing the settings was the largest piece of the store's own work in
 * reading one. Keyed by the text itself, so a change (by this process or another) is a new
 * key and nothing goes stale. The value is shared between reads, so it is deeply frozen; the
 * core reads it into a copy of its own (`readStoredSettings`) before anything sees it.
 */
export type SettingsMemo = (settings: string) => AccountSettings;

/** A fresh memo, one per store. */
export function settingsMemo(): SettingsMemo {
  const parsed = new Map<string, AccountSettings>();
  return (text) => {
    let settings = parsed.get(text);
    if (settings === undefined) {
      settings = deepFreeze(JSON.parse(text) as AccountSettings);
      if (parsed.size >= MAX_REMEMBERED) parsed.clear();
      parsed.set(text, settings);
    }
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

/** Settings texts remembered per store; past this many the memo starts over. */
const MAX_REMEMBERED = 1024;

/**
 * The time zone of stored settings, by their JSON text, remembered per store: a backup reads
 * the same accounts' settings in every page's transaction, and parsing each one again cost
 * more than the page's rows. Keyed by the text itself, so a change of the settings (by this
 * process or another) is a new key and nothing goes stale.
 */
export type SettingsTimeZones = (settings: string) => string;

/** A fresh memo, one per store. */
export function settingsTimeZones(): SettingsTimeZones {
  const zones = new Map<string, string>();
  return (settings) => {
    let zone = zones.get(settings);
    if (zone === undefined) {
      const parsed = (JSON.parse(settings) as { timeZone?: unknown } | null)?.timeZone;
      zone = typeof parsed === 'string' ? parsed : 'UTC';
      if (zones.size >= MAX_REMEMBERED) zones.clear();
      zones.set(settings, zone);
    }
    return zone;
  };
}

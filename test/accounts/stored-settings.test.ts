import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountSettings } from '../../src/schedule/schedule-types.js';
import { readStoredSettings } from '../../src/accounts/stored-settings.js';

const range = fc.record({ from: fc.string({ maxLength: 5 }), to: fc.string({ maxLength: 5 }) });
const day = fc.array(range, { maxLength: 3 });
const holiday = fc.record(
  { id: fc.string({ maxLength: 4 }), start: fc.string({ maxLength: 10 }), end: fc.string({ maxLength: 10 }), label: fc.string({ maxLength: 6 }) },
  { requiredKeys: ['id', 'start', 'end'] },
);
/** Settings as this release writes them: every field, nothing more. */
const currentSettings = fc.record({
  timeZone: fc.constantFrom('Asia/Seoul', 'UTC', 'Europe/Berlin'),
  weeklyHours: fc.record({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  welcomeMessage: fc.string({ maxLength: 8 }),
  awayMessage: fc.string({ maxLength: 8 }),
  holidayMessage: fc.string({ maxLength: 8 }),
  holidays: fc.array(holiday, { maxLength: 3 }),
  channels: fc.record({ line: fc.boolean(), mail: fc.boolean() }),
});
/** A value of any type, for a field that went wrong. */
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

/** Every path in `value` that leads somewhere (objects' keys, arrays' indexes), parents first. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

/** `settings` with the value at `path` replaced, deleted, or given an unknown sibling field. */
function altered(settings: unknown, keys: readonly (string | number)[], action: 'set' | 'delete' | 'extra', value: unknown): unknown {
  const copy = structuredClone(settings) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = keys[keys.length - 1]!;
  if (action === 'delete') {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (action === 'extra') {
    if (!Array.isArray(node)) node.extra = value;
  } else node[last] = value;
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

describe('stored settings (R14, read with the defaults of later fields)', () => {
  it('reads settings in the current shape as they are, as a copy that shares nothing', () => {
    fc.assert(
      fc.property(currentSettings, (settings) => {
        const read = readStoredSettings(settings as AccountSettings);
        expect(read).toEqual(settings);
        expect(read).not.toBe(settings);
        expect(read.weeklyHours.mon).not.toBe(settings.weeklyHours.mon);
        expect(read.holidays).not.toBe(settings.holidays);
        expect(read.channels).not.toBe(settings.channels);
      }),
      { numRuns: 300 },
    );
  });

  it('reads settings of any other shape (missing, wrong, unknown fields): a copy in today\'s shape, or the stored value when it does not parse', () => {
    fc.assert(
      fc.property(currentSettings, fc.nat(), fc.constantFrom('set', 'delete', 'extra') as fc.Arbitrary<'set' | 'delete' | 'extra'>, anyValue, (settings, pick, action, value) => {
        const paths = pathsOf(settings);
        const stored = altered(settings, paths[pick % paths.length]!, action, value) as AccountSettings;
        const read = readStoredSettings(stored);
        if (read === stored) return;
        // A copy: today's fields only (unknown ones dropped, missing ones defaulted), each of its type.
        expect(Object.keys(read).sort()).toEqual(['awayMessage', 'channels', 'holidayMessage', 'holidays', 'timeZone', 'weeklyHours', 'welcomeMessage']);
        expect(JSON.stringify(read)).not.toContain('"extra"');
        expect([typeof read.timeZone, typeof read.welcomeMessage, typeof read.awayMessage, typeof read.holidayMessage]).toEqual(['string', 'string', 'string', 'string']);
        expect([typeof read.channels.line, typeof read.channels.mail]).toEqual(['boolean', 'boolean']);
        for (const ranges of Object.values(read.weeklyHours)) for (const range of ranges) expect(Object.keys(range)).toEqual(['from', 'to']);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers settings that do not parse (a store that lost data) as stored', () => {
    const broken = { timeZone: 42, weeklyHours: {} } as unknown as AccountSettings;
    expect(readStoredSettings(broken)).toBe(broken);
  });

  it('reads deeply frozen settings (shared between reads) the same way, into copies of their own', () => {
    fc.assert(
      fc.property(currentSettings, (settings) => {
        const frozen = deepFreeze(structuredClone(settings)) as AccountSettings;
        const first = readStoredSettings(frozen);
        const second = readStoredSettings(frozen);
        expect(first).toEqual(settings);
        expect(second).toEqual(settings);
        expect(second).not.toBe(first);
        expect(Object.isFrozen(second) || Object.isFrozen(second.weeklyHours.mon) || Object.isFrozen(second.holidays)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('a frozen object that is not deeply frozen is checked on every read', () => {
    const settings = structuredClone(readStoredSettings({ timeZone: 'UTC', weeklyHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } } as unknown as AccountSettings));
    const shallow = Object.freeze(settings);
    expect(readStoredSettings(shallow).weeklyHours.mon).toEqual([]);
    // Its members can still change: settings that lost a field must go through the schema again.
    delete (shallow.channels as Partial<AccountSettings['channels']>).mail;
    expect(readStoredSettings(shallow).channels).toEqual({ line: true, mail: true });
  });

  it('gives rows written before `channels` existed both channels, and keeps a holiday without a label without one', () => {
    const old = {
      timeZone: 'Asia/Seoul',
      weeklyHours: { mon: [{ from: '09:00', to: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      welcomeMessage: 'hi',
      awayMessage: '',
      holidayMessage: '',
      holidays: [{ id: 'h1', start: '2026-01-01', end: '2026-01-01' }],
    } as unknown as AccountSettings;
    const read = readStoredSettings(old);
    expect(read.channels).toEqual({ line: true, mail: true });
    expect(Object.keys(read.holidays[0]!)).toEqual(['id', 'start', 'end']);
  });
});

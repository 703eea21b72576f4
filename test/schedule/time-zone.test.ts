import { describe, expect, it } from 'vitest';
import { isValidTimeZone, timeZoneProblem, timeZoneSchema } from '../../src/schedule/time-zone.js';
import { parseInput } from '../../src/validation/parse-input.js';

describe('timeZoneSchema', () => {
  it.each([
    'Asia/Seoul',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'America/Port-au-Prince',
    'America/Argentina/Buenos_Aires',
    'UTC',
    'Etc/UTC',
    'Etc/GMT+9',
    'Asia/Kolkata',
    'Asia/Calcutta',
    'Europe/Kyiv',
    'US/Eastern',
  ])('R18: accepts the IANA name %s', (name) => {
    expect(timeZoneSchema.parse(name)).toBe(name);
    expect(isValidTimeZone(name)).toBe(true);
  });

  it('R18: accepts every canonical name of the runtime', () => {
    for (const name of Intl.supportedValuesOf('timeZone')) expect(timeZoneProblem(name), name).toBeNull();
  });

  it('R18: refuses an unknown zone with the name in the message', () => {
    const result = parseInput(timeZoneSchema, 'Mars/Base', 'timeZone');
    expect(result._unsafeUnwrapErr()).toMatchObject({
      code: 'validation',
      issues: [{ path: 'timeZone', message: "unknown time zone 'Mars/Base'" }],
    });
  });

  it.each(['', '+09:00', 'GMT+9 ', 'Asia/Seoul/', 'Asia\\Seoul', 'Asia/Seoul\u0000', 'x'.repeat(100)])(
    'R18: refuses %j',
    (name) => {
      expect(isValidTimeZone(name)).toBe(false);
      expect(timeZoneProblem(name)).toMatch(/^unknown time zone '/);
    },
  );

  it('R18: names are case-sensitive, with a hint to the canonical spelling', () => {
    expect(timeZoneProblem('asia/seoul')).toBe(
      "unknown time zone 'asia/seoul'; names are case-sensitive: did you mean 'Asia/Seoul'?",
    );
    expect(timeZoneProblem('utc')).toBe("unknown time zone 'utc'; names are case-sensitive: did you mean 'UTC'?");
    expect(isValidTimeZone('us/eastern')).toBe(false);
    expect(isValidTimeZone('asia/kolkata')).toBe(false);
  });

  it('R18 R27: refuses non-strings without throwing', () => {
    for (const value of [null, undefined, 9, {}, ['Asia/Seoul']]) {
      expect(timeZoneSchema.safeParse(value).success).toBe(false);
    }
    expect(timeZoneSchema.safeParse(9).error?.issues[0]?.message).toBe(
      "must be an IANA time zone name such as 'Asia/Seoul', got number",
    );
  });

  it('R18: the verdict is cached per string (the same answer, fast)', () => {
    const started = performance.now();
    for (let index = 0; index < 10_000; index++) timeZoneProblem('Europe/Kyiv');
    expect(performance.now() - started).toBeLessThan(200);
  });
});

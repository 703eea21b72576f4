import { describe, expect, it } from 'vitest';
import { availability } from '../../src/schedule/availability.js';
import { defaultSettings } from '../../src/schedule/default-settings.js';

describe('defaultSettings', () => {
  it('R14: the given zone, Mon–Fri 09:00–18:00, weekend closed, empty messages, no holidays', () => {
    const workday = [{ from: '09:00', to: '18:00' }];
    expect(defaultSettings('Asia/Seoul')).toEqual({
      timeZone: 'Asia/Seoul',
      weeklyHours: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday, sat: [], sun: [] },
      welcomeMessage: '',
      awayMessage: '',
      holidayMessage: '',
      holidays: [],
      channels: { line: true, mail: true },
    });
  });

  it('R14: the time zone defaults to UTC', () => {
    expect(defaultSettings().timeZone).toBe('UTC');
  });

  it('R14: a new object each call', () => {
    const first = defaultSettings('UTC');
    first.holidays.push({ id: 'h', start: '2026-01-01', end: '2026-01-01' });
    first.weeklyHours.sat.push({ from: '10:00', to: '12:00' });
    expect(defaultSettings('UTC').holidays).toEqual([]);
    expect(defaultSettings('UTC').weeklyHours.sat).toEqual([]);
  });

  it('R14: open at 09:00 on a Monday, away at 18:00 and on Saturday, in the zone', () => {
    const settings = defaultSettings('Asia/Seoul');
    expect(availability(settings, new Date('2026-03-02T00:00:00+09:00'))).toBe('away');
    expect(availability(settings, new Date('2026-03-02T09:00:00+09:00'))).toBe('open');
    expect(availability(settings, new Date('2026-03-02T17:59:59.999+09:00'))).toBe('open');
    expect(availability(settings, new Date('2026-03-02T18:00:00+09:00'))).toBe('away');
    expect(availability(settings, new Date('2026-03-07T12:00:00+09:00'))).toBe('away');
  });
});

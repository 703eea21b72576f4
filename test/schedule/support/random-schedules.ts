import { tzScan } from '@date-fns/tz';
import fc from 'fast-check';
import { civilDayNumber, formatCivilDate } from '../../../src/schedule/civil-date.js';
import { WEEKDAYS, type ScheduleSettings, type Holiday, type TimeRange, type WeeklyHours } from '../../../src/schedule/schedule-types.js';
import { formatWallTime } from '../../../src/schedule/wall-time.js';

/** Zones with the awkward cases: 30- and 45-minute offsets, 30-minute changes, changes at midnight. */
export const AWKWARD_ZONES = [
  'UTC',
  'Asia/Seoul',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/Santiago',
  'America/Havana',
  'Africa/Casablanca',
  'Antarctica/Troll',
  'Asia/Tehran',
] as const;

export const WINDOW_START = Date.UTC(2026, 0, 1);
export const WINDOW_END = Date.UTC(2028, 0, 1);

/** Minutes of the day that meet daylight-saving changes (01:00, 01:30, 01:45, 02:00, 02:45, …). */
const INTERESTING_MINUTES = [0, 30, 60, 90, 105, 120, 150, 165, 180, 210, 225, 240, 1380, 1410, 1440];

const minuteArbitrary = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1440 }) },
  { weight: 1, arbitrary: fc.constantFrom(...INTERESTING_MINUTES) },
);

/** Non-overlapping ranges of one day (touching allowed), sorted by `from`. */
function toDayRanges(pairs: [number, number][]): TimeRange[] {
  const ranges = pairs
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => (a < b ? [a, b] : [b, a]) as [number, number])
    .sort((x, y) => x[0] - y[0]);
  const kept: [number, number][] = [];
  for (const candidate of ranges) {
    const last = kept[kept.length - 1];
    if (last === undefined || candidate[0] >= last[1]) kept.push(candidate);
  }
  return kept.map(([from, to]) => ({ from: formatWallTime(from), to: formatWallTime(to) }));
}

const dayArbitrary: fc.Arbitrary<TimeRange[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<TimeRange[]>([]) },
  { weight: 1, arbitrary: fc.constant<TimeRange[]>([{ from: '00:00', to: '24:00' }]) },
  { weight: 6, arbitrary: fc.array(fc.tuple(minuteArbitrary, minuteArbitrary), { maxLength: 4 }).map(toDayRanges) },
);

/** A random week: closed days, whole days, and up to four ranges a day. */
export const weeklyHoursArbitrary: fc.Arbitrary<WeeklyHours> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(...WEEKDAYS.map(() => dayArbitrary)).map((days) => Object.fromEntries(WEEKDAYS.map((day, index) => [day, days[index]])) as WeeklyHours) },
  // The constant weeks, where `nextChange` may answer null.
  { weight: 1, arbitrary: fc.constantFrom('closed', 'open').map((kind) => Object.fromEntries(WEEKDAYS.map((day) => [day, kind === 'open' ? [{ from: '00:00', to: '24:00' }] : []])) as WeeklyHours) },
);

/** Up to four holidays of 1–5 days within the window (adjacent and overlapping ones included). */
export const holidaysArbitrary: fc.Arbitrary<Holiday[]> = fc
  .array(fc.tuple(fc.integer({ min: -10, max: 740 }), fc.integer({ min: 0, max: 4 })), { maxLength: 4 })
  .map((list) => {
    const first = civilDayNumber('2026-01-01') as number;
    return list.map(([offset, length], index) => ({
      id: `h${index}`,
      start: formatCivilDate(first + offset),
      end: formatCivilDate(first + offset + length),
    }));
  });

/** Random settings in one of the given zones. */
export function settingsArbitrary(zones: readonly string[]): fc.Arbitrary<ScheduleSettings> {
  return fc.record({
    timeZone: fc.constantFrom(...zones),
    weeklyHours: weeklyHoursArbitrary,
    welcomeMessage: fc.constant(''),
    awayMessage: fc.constant(''),
    holidayMessage: fc.constant(''),
    holidays: holidaysArbitrary,
  });
}

const transitionsCache = new Map<string, number[]>();

/**
 * Approximate offset-change instants of a zone in the window (`tzScan` rounds to the hour in
 * places); only used to aim random instants near them.
 */
export function approximateTransitions(timeZone: string): number[] {
  let list = transitionsCache.get(timeZone);
  if (list === undefined) {
    list = tzScan(timeZone, { start: new Date(WINDOW_START - 86_400_000 * 30), end: new Date(WINDOW_END) }).map((change) => change.date.getTime());
    transitionsCache.set(timeZone, list);
  }
  return list;
}

/** A random instant in the window for a zone, often within hours of one of its offset changes. */
export function instantArbitrary(timeZone: string): fc.Arbitrary<number> {
  const transitions = approximateTransitions(timeZone);
  const anywhere = fc.integer({ min: WINDOW_START, max: WINDOW_END });
  if (transitions.length === 0) return anywhere;
  return fc.oneof(
    { weight: 1, arbitrary: anywhere },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...transitions), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), fc.boolean())
        // Half of them on whole minutes, where boundaries are.
        .map(([transition, shift, whole]) => transition + (whole ? Math.round(shift / 60_000) * 60_000 : shift)),
    },
  );
}

/** Settings with an instant in their zone. */
export function caseArbitrary(zones: readonly string[]): fc.Arbitrary<{ settings: ScheduleSettings; time: number }> {
  return settingsArbitrary(zones).chain((settings) =>
    instantArbitrary(settings.timeZone).map((time) => ({ settings, time })),
  );
}

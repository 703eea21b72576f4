// Differential test: our availability / nextChange against opening_hours.js (LGPL-3.0, a test-only
// dependency, run in child processes) on random weekly hours and holidays.
//
// Translation. Weekly hours become `Mo-Su off; Mo 09:00-12:00,13:00-18:00; …` (a later rule
// replaces the whole day of an earlier one). Holidays must stay distinguishable from plain closed
// time, so each becomes a whole-day rule `2026 Dec 24-2026 Dec 26 unknown "holiday"` appended after
// the week: opening_hours reports such days as state `unknown`, which we read as 'holiday'.
// `unknown` is a state of its own for getNextChange (unlike a comment on `off`, whose boundaries it
// skips), so holiday ↔ away changes count as changes on both sides.
//
// Time zones. opening_hours works in the JavaScript local zone, so each zone runs in a child process
// started with TZ set to it.
//
// The one convention that differs, and is excluded: daylight-saving changes. opening_hours steps
// through local time with `new Date(y, m, d, h, min)`, which (a) moves a boundary that falls in a
// spring-forward gap to the instant that local time would have had an hour later (02:30 → 03:30
// EDT) instead of the gap itself, so its next change disagrees with its own getState; and (b) at a
// fall-back it resolves the repeated hour to its first occurrence, so it skips the second one or
// throws 'Fatal: infinite loop in nextChange' (opening_hours.js issue #325). Our rule is R18's wall
// clock (a gap is never open, a repeated hour counts twice), checked exactly by the unit and
// property tests. So a pair is excluded only when its instant, our change or theirs lies within
// |shift| of an offset change (at most one hour either side, twice a year); everything else must
// agree exactly: the state, the instant of the next change to the millisecond, and the new state.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availability } from '../../src/schedule/availability.js';
import { nextChange } from '../../src/schedule/next-change.js';
import { WEEKDAYS, type ScheduleSettings, type AvailabilityState, type Weekday } from '../../src/schedule/schedule-types.js';
import { instantArbitrary, settingsArbitrary, WINDOW_END, WINDOW_START } from './support/random-schedules.js';

// Whole-hour DST, 30-minute DST, a +12:45/+13:45 zone, and +05:45 without DST.
const ZONES = ['America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu'];
// Parsing a rule costs opening_hours ~1 ms, evaluating an instant ~0.02 ms: many instants per rule.
const SCHEDULES_PER_ZONE = 150;
const RANDOM_INSTANTS_PER_SCHEDULE = 66;
/** Each schedule also gets four of our change instants and the millisecond before each. */
const BOUNDARY_INSTANTS_PER_SCHEDULE = 8;
const REQUIRED_PAIRS_PER_ZONE = 10_000;
const ORACLE = fileURLToPath(new URL('./support/opening-hours-oracle.mjs', import.meta.url));

const DAY_NAMES: Record<Weekday, string> = { mon: 'Mo', tue: 'Tu', wed: 'We', thu: 'Th', fri: 'Fr', sat: 'Sa', sun: 'Su' };
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-12-24` → `2026 Dec 24`. */
function openingHoursDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${year} ${MONTH_NAMES[Number(month) - 1]} ${day}`;
}

/** Our settings as an opening_hours rule (see the header for the translation). */
export function toOpeningHours(settings: ScheduleSettings): string {
  const rules = ['Mo-Su off'];
  for (const day of WEEKDAYS) {
    const ranges = settings.weeklyHours[day];
    if (ranges.length > 0) rules.push(`${DAY_NAMES[day]} ${ranges.map((range) => `${range.from}-${range.to}`).join(',')}`);
  }
  for (const holiday of settings.holidays) {
    rules.push(`${openingHoursDate(holiday.start)}-${openingHoursDate(holiday.end)} unknown "holiday"`);
  }
  return rules.join('; ');
}

type OracleResult = { state: AvailabilityState | null; next: number | null; nextState: AvailabilityState | null; error?: string };
type OracleAnswer = { timeZone: string; transitions: [number, number][]; results: OracleResult[][] };

function askOracle(timeZone: string, schedules: { rule: string; instants: number[]; limits: number[] }[]): Promise<OracleAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ORACLE], { env: { ...process.env, TZ: timeZone }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`opening_hours oracle for ${timeZone} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as OracleAnswer);
    });
    child.stdin.end(JSON.stringify({ windowStart: WINDOW_START - 40 * 86_400_000, windowEnd: WINDOW_END + 40 * 86_400_000, schedules }));
  });
}

const LOOKAHEAD_MS = 16 * 86_400_000;

/**
 * How far both sides look for the next change: 16 days past the instant or past the last holiday.
 * Any change of a week that is not constant comes within 8 days; a constant week changes only at
 * holidays. Past it, a change counts as none on both sides (our null is checked by the property
 * tests; opening_hours would step day by day to its 5-year limit, milliseconds per call).
 */
function searchLimit(settings: ScheduleSettings, time: number): number {
  const lastHolidayEnd = Math.max(0, ...settings.holidays.map((holiday) => Date.parse(`${holiday.end}T00:00:00Z`) + 2 * 86_400_000));
  return Math.max(time, lastHolidayEnd) + LOOKAHEAD_MS;
}

type ZoneCase = { settings: ScheduleSettings; instants: number[] };

/** Random schedules of one zone, each with random instants and instants on our own boundaries. */
function casesFor(timeZone: string, seed: number): ZoneCase[] {
  const schedules = fc.sample(settingsArbitrary([timeZone]), { seed, numRuns: SCHEDULES_PER_ZONE });
  // Mostly anywhere in the window, one in five within hours of an offset change.
  const instants = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: WINDOW_START, max: WINDOW_END }) },
    { weight: 1, arbitrary: instantArbitrary(timeZone) },
  );
  const randomInstants = fc.sample(fc.array(instants, { minLength: RANDOM_INSTANTS_PER_SCHEDULE, maxLength: RANDOM_INSTANTS_PER_SCHEDULE }), {
    seed: seed + 1,
    numRuns: SCHEDULES_PER_ZONE,
  });
  return schedules.map((settings, index) => {
    const chosen = [...(randomInstants[index] ?? [])];
    for (const from of chosen.slice(0, BOUNDARY_INSTANTS_PER_SCHEDULE / 2)) {
      const change = nextChange(settings, new Date(from));
      const boundary = change?.at.getTime() ?? from + 1;
      chosen.push(boundary, boundary - 1);
    }
    return { settings, instants: chosen };
  });
}

describe('availability and nextChange against opening_hours.js', () => {
  it(`R21: same state and same next change on ${REQUIRED_PAIRS_PER_ZONE}+ random (schedule, instant) pairs per zone`, async () => {
    const perZone = ZONES.map((timeZone, index) => ({ timeZone, cases: casesFor(timeZone, 20_260_000 + index * 7) }));
    const answers = await Promise.all(
      perZone.map(({ timeZone, cases }) =>
        askOracle(
          timeZone,
          cases.map(({ settings, instants }) => ({
            rule: toOpeningHours(settings),
            instants,
            limits: instants.map((time) => searchLimit(settings, time)),
          })),
        ),
      ),
    );

    const summary: Record<string, { compared: number; excluded: number; oracleErrors: number }> = {};
    const disagreements: unknown[] = [];
    perZone.forEach(({ timeZone, cases }, zoneIndex) => {
      const answer = answers[zoneIndex] as OracleAnswer;
      expect(answer.timeZone).toBe(new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone);
      const nearOffsetChange = (time: number | null | undefined): boolean =>
        time !== null && time !== undefined && answer.transitions.some(([at, shift]) => Math.abs(time - at) <= Math.abs(shift));
      let compared = 0;
      let excluded = 0;
      let oracleErrors = 0;
      cases.forEach(({ settings, instants }, caseIndex) => {
        instants.forEach((time, instantIndex) => {
          const theirs = answer.results[caseIndex]?.[instantIndex] as OracleResult;
          const state = availability(settings, new Date(time));
          const found = nextChange(settings, new Date(time));
          const change = found !== null && found.at.getTime() < searchLimit(settings, time) ? found : null;
          const ours = { state, next: change?.at.getTime() ?? null, nextState: change?.state ?? null };
          if (nearOffsetChange(time) || nearOffsetChange(ours.next) || nearOffsetChange(theirs.next)) {
            excluded++;
            if (theirs.error !== undefined) oracleErrors++;
            return;
          }
          compared++;
          if (theirs.error !== undefined || theirs.state !== ours.state || theirs.next !== ours.next || theirs.nextState !== ours.nextState) {
            disagreements.push({
              timeZone,
              rule: toOpeningHours(settings),
              at: new Date(time).toISOString(),
              ours: { ...ours, next: ours.next === null ? null : new Date(ours.next).toISOString() },
              theirs: { ...theirs, next: theirs.next === null ? null : new Date(theirs.next).toISOString() },
            });
          }
        });
      });
      summary[timeZone] = { compared, excluded, oracleErrors };
    });

    expect(disagreements.slice(0, 5)).toEqual([]);
    for (const timeZone of ZONES) {
      expect(summary[timeZone]?.compared, `${timeZone}: ${JSON.stringify(summary[timeZone])}`).toBeGreaterThanOrEqual(REQUIRED_PAIRS_PER_ZONE);
    }
    // Visible in the test output: how many pairs were compared and how few were excluded.
    console.info('opening_hours differential:', JSON.stringify(summary));
  });

  it('R21: the translation reads as opening_hours syntax', () => {
    const settings: ScheduleSettings = {
      timeZone: 'UTC',
      weeklyHours: { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '24:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [{ from: '00:00', to: '24:00' }] },
      holidays: [{ id: 'h', start: '2026-12-31', end: '2027-01-02' }],
    };
    expect(toOpeningHours(settings)).toBe(
      'Mo-Su off; Mo 09:00-12:00,13:00-24:00; Su 00:00-24:00; 2026 Dec 31-2027 Jan 02 unknown "holiday"',
    );
  });
});

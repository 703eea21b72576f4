// Benchmark: availability / nextChange against opening_hours.js getState / getNextChange, on the
// same schedules and instants, in one process.
//
//   npx tsx test/bench/schedule.bench.ts [time zone, default America/New_York]
//
// opening_hours evaluates in the JavaScript local time zone, so TZ is set to the zone before
// anything reads the clock, and opening_hours is loaded after that. Rules are parsed and our
// settings compiled before timing: both sides are measured on evaluation only. Each task run makes
// BATCH calls over varying (schedule, instant) pairs, so the per-run overhead of tinybench does not
// dominate. Goal: ≥ 50× on both.
import os from 'node:os';

const timeZone = process.argv[2] ?? 'America/New_York';
process.env.TZ = timeZone;

const { Bench } = await import('tinybench');
const { default: OpeningHours } = await import('opening_hours');
const { availability } = await import('../../src/schedule/availability.js');
const { nextChange } = await import('../../src/schedule/next-change.js');
const { WEEKDAYS } = await import('../../src/schedule/schedule-types.js');
type ScheduleSettings = import('../../src/schedule/schedule-types.js').ScheduleSettings;
type WeeklyHours = import('../../src/schedule/schedule-types.js').WeeklyHours;
type TimeRange = import('../../src/schedule/schedule-types.js').TimeRange;

const BATCH = 1024;
const GOAL = 50;

const holidays = [
  ['2026-01-01', '2026-01-01'],
  ['2026-02-16', '2026-02-18'],
  ['2026-05-05', '2026-05-05'],
  ['2026-09-24', '2026-09-26'],
  ['2026-12-24', '2026-12-26'],
  ['2027-01-01', '2027-01-01'],
  ['2027-02-06', '2027-02-08'],
  ['2027-05-05', '2027-05-05'],
  ['2027-09-14', '2027-09-16'],
  ['2027-12-24', '2027-12-26'],
].map(([start, end], index) => ({ id: `h${index}`, start: start as string, end: end as string }));

function weekOf(days: Partial<WeeklyHours>): WeeklyHours {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days };
}
const workdays = (...ranges: TimeRange[]): Partial<WeeklyHours> => ({ mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges });

const weeks: WeeklyHours[] = [
  weekOf(workdays({ from: '09:00', to: '18:00' })), // the default week (R14)
  weekOf({ ...workdays({ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }), sat: [{ from: '10:00', to: '14:00' }] }),
  // Night support, ranges touching midnight.
  Object.fromEntries(WEEKDAYS.map((day) => [day, [{ from: '00:00', to: '02:00' }, { from: '22:00', to: '24:00' }]])) as WeeklyHours,
  // Open around the clock but on Sundays.
  weekOf({ ...workdays({ from: '00:00', to: '24:00' }), sat: [{ from: '00:00', to: '24:00' }] }),
];
const schedules: ScheduleSettings[] = weeks.map((weeklyHours) => ({
  timeZone,
  weeklyHours,
  welcomeMessage: '',
  awayMessage: '',
  holidayMessage: '',
  holidays,
}));

const DAY_NAMES = { mon: 'Mo', tue: 'Tu', wed: 'We', thu: 'Th', fri: 'Fr', sat: 'Sa', sun: 'Su' } as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ohDate = (date: string) => `${date.slice(0, 4)} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(8, 10)}`;
/** The same schedule for opening_hours; holidays are `unknown` days (see the differential test). */
function toRule(settings: ScheduleSettings): string {
  const rules = ['Mo-Su off'];
  for (const day of WEEKDAYS) {
    const ranges = settings.weeklyHours[day];
    if (ranges.length > 0) rules.push(`${DAY_NAMES[day]} ${ranges.map((range) => `${range.from}-${range.to}`).join(',')}`);
  }
  for (const holiday of settings.holidays) rules.push(`${ohDate(holiday.start)}-${ohDate(holiday.end)} unknown "holiday"`);
  return rules.join('; ');
}
// Mode 0 (time ranges) is what tag_key 'opening_hours' selects; its typings want every option, the number does not.
const parsed = schedules.map((settings) => new OpeningHours(toRule(settings), null, 0));

// Deterministic instants over 2026–2027 (mulberry32).
let seed = 20_260_301;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
  return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
}
const start = Date.UTC(2026, 0, 1);
const span = Date.UTC(2028, 0, 1) - start;
const PAIRS = 8192;
const pairSchedule = Array.from({ length: PAIRS }, (_, index) => index % schedules.length);
const pairInstant = Array.from({ length: PAIRS }, () => new Date(start + Math.floor(random() * span)));

let cursor = 0;
let sink = 0;
function batch(call: (schedule: number, at: Date) => unknown): () => void {
  return () => {
    for (let index = 0; index < BATCH; index++) {
      const pair = cursor++ & (PAIRS - 1);
      if (call(pairSchedule[pair] as number, pairInstant[pair] as Date)) sink++;
    }
  };
}

const tasks = {
  'cx availability': batch((schedule, at) => availability(schedules[schedule] as ScheduleSettings, at) === 'open'),
  'opening_hours getState': batch((schedule, at) => (parsed[schedule] as InstanceType<typeof OpeningHours>).getState(at)),
  'cx nextChange': batch((schedule, at) => nextChange(schedules[schedule] as ScheduleSettings, at)),
  'opening_hours getNextChange': batch((schedule, at) => (parsed[schedule] as InstanceType<typeof OpeningHours>).getNextChange(at)),
};
const pairs = [
  ['cx availability', 'opening_hours getState'],
  ['cx nextChange', 'opening_hours getNextChange'],
] as const;

// Several short rounds, each timing all four tasks, and the median of each round's figures: on a
// shared machine the load drifts, and a ratio taken within one round is fairer than one across rounds.
const ROUNDS = 5;
const rates: Record<string, number[]> = {};
const ratios: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ name: `schedule, ${timeZone}, round ${round + 1}`, time: 400, warmupTime: 100 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const rateOf = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (result === undefined || !('period' in result)) throw new Error(`${name}: ${result?.state ?? 'missing'}`);
    return (BATCH * 1000) / result.period;
  };
  for (const name of Object.keys(tasks)) (rates[name] ??= []).push(rateOf(name));
  for (const [ours, theirs] of pairs) (ratios[ours] ??= []).push(rateOf(ours) / rateOf(theirs));
}
const median = (values: number[] = []): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const cpus = os.cpus();
console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}, Node ${process.version}, ${os.platform()} ${os.arch()}`);
console.log(`zone ${timeZone}; ${schedules.length} schedules × ${PAIRS / schedules.length} instants over 2026–2027, ${holidays.length} holidays each; median of ${ROUNDS} rounds`);
const format = (value: number) => Math.round(value).toLocaleString('en-US').padStart(12);
let allMet = true;
for (const [ours, theirs] of pairs) {
  const ratio = median(ratios[ours]);
  allMet &&= ratio >= GOAL;
  const spread = `${Math.min(...(ratios[ours] ?? [])).toFixed(0)}–${Math.max(...(ratios[ours] ?? [])).toFixed(0)}`;
  console.log(
    `${ours.padEnd(16)} ${format(median(rates[ours]))} calls/s   ${theirs.padEnd(28)} ${format(median(rates[theirs]))} calls/s   ratio ${ratio.toFixed(1)}× (rounds ${spread}×; goal ≥ ${GOAL}×)`,
  );
}
console.log(allMet ? 'goal met' : 'goal NOT met', sink > 0 ? '' : '(no work?)');

/**
 * The script of `examples/browser-availability.html`: shows whether a consultation account
 * is open, away or on holiday, and when that changes, for a sample schedule in a chosen
 * time zone. It runs `availability` and `nextChange` — pure functions of cx-accounts — in the
 * browser; `examples/browser/build.ts` bundles it (no Node built-ins allowed).
 *
 * Query parameters: `tz` (IANA time zone) and `at` (an ISO instant; default: now, refreshed
 * every 15 seconds).
 */
import { availability, nextChange, type AccountSettings, type AvailabilityState } from '../../src/schedule/index.js';

/** The sample schedule, without its time zone (the page picks that). */
export const SAMPLE_SCHEDULE: Omit<AccountSettings, 'timeZone'> = {
  weeklyHours: {
    mon: [{ from: '09:00', to: '18:00' }],
    tue: [{ from: '09:00', to: '18:00' }],
    wed: [{ from: '09:00', to: '18:00' }],
    thu: [{ from: '09:00', to: '18:00' }],
    fri: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }],
    sat: [{ from: '10:00', to: '14:00' }],
    sun: [],
  },
  welcomeMessage: 'Welcome!',
  awayMessage: 'We are closed now.',
  holidayMessage: 'We are on holiday.',
  channels: { line: true, mail: true },
  holidays: [
    { id: 'christmas', start: '2026-12-25', end: '2026-12-25', label: 'Christmas' },
    { id: 'new-year', start: '2027-01-01', end: '2027-01-02', label: 'New Year' },
  ],
};

/** Time zones offered in the page. */
export const TIME_ZONES = ['Asia/Seoul', 'Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'UTC'];

const STATE_TEXT: Record<AvailabilityState, string> = {
  open: 'Open',
  away: 'Away (outside operating hours)',
  holiday: 'Holiday',
};

/** `Wed 2026-11-25 18:00` in a time zone. */
export function wallClock(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

function render(timeZone: string, at: Date): void {
  // A new settings object per time zone: the schedule functions cache their work per object.
  const settings: AccountSettings = { ...SAMPLE_SCHEDULE, timeZone };
  const state = availability(settings, at);
  const change = nextChange(settings, at);

  const stateOutput = element('state');
  stateOutput.textContent = STATE_TEXT[state];
  stateOutput.dataset.state = state;
  element('local-time').textContent = `${wallClock(at, timeZone)} in ${timeZone}`;

  const next = element('next-change');
  if (change) {
    next.textContent = `${STATE_TEXT[change.state]} from ${wallClock(change.at, timeZone)} (${change.at.toISOString()})`;
    next.dataset.at = change.at.toISOString();
    next.dataset.state = change.state;
  } else {
    next.textContent = 'Never: this schedule does not change again.';
    delete next.dataset.at;
    delete next.dataset.state;
  }
}

function renderSchedule(): void {
  const rows = Object.entries(SAMPLE_SCHEDULE.weeklyHours).map(([day, ranges]) => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = day;
    const hours = document.createElement('td');
    hours.textContent = ranges.length ? ranges.map((range) => `${range.from}–${range.to}`).join(', ') : 'closed';
    row.append(name, hours);
    return row;
  });
  element('weekly-hours').replaceChildren(...rows);
  element('holidays').replaceChildren(
    ...SAMPLE_SCHEDULE.holidays.map((holiday) => {
      const item = document.createElement('li');
      item.textContent = `${holiday.label}: ${holiday.start}${holiday.end === holiday.start ? '' : ` to ${holiday.end}`}`;
      return item;
    }),
  );
}

function start(): void {
  const query = new URLSearchParams(location.search);
  const fixedAt = query.get('at');
  const at = () => (fixedAt ? new Date(fixedAt) : new Date());
  if (Number.isNaN(at().getTime())) {
    element('state').textContent = `The "at" parameter is not a date: ${fixedAt}`;
    return;
  }

  const select = element<HTMLSelectElement>('time-zone');
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = TIME_ZONES.includes(browserZone) ? TIME_ZONES : [...TIME_ZONES, browserZone];
  select.replaceChildren(...zones.map((zone) => new Option(zone, zone)));
  const requested = query.get('tz');
  select.value = requested && zones.includes(requested) ? requested : 'Asia/Seoul';

  renderSchedule();
  const update = () => render(select.value, at());
  select.addEventListener('change', update);
  update();
  if (!fixedAt) setInterval(update, 15_000);
  document.body.dataset.ready = 'true';
}

start();

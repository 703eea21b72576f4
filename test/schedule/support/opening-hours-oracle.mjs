// Evaluates opening_hours.js rules for the differential test, in a process of its own: opening_hours
// works in the JavaScript local time zone, so the parent starts this script with TZ set to the
// zone under test. Reads one JSON request on stdin, writes one JSON answer on stdout.
//
// Request: { windowStart, windowEnd, schedules: [{ rule, instants: number[], limits: number[] }] }
// (each instant's next change is looked for only before its limit: past the last holiday a constant
// week makes opening_hours step day by day to its own 5-year limit, milliseconds per call)
// Answer:  { timeZone, transitions: [instant, shiftMs][], results: [{ state, next, nextState, error? }[]] }
//
// States: open → 'open'; unknown (our holidays are written `unknown "holiday"`) → 'holiday';
// closed → 'away'.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const OpeningHours = require('opening_hours');

function stateOf(iterator) {
  if (iterator.getUnknown()) return 'holiday';
  return iterator.getState() ? 'open' : 'away';
}

// What getNextChange(date) does (see its source), through the documented iterator API, so that the
// state at `date` and after the change come from the same single pass.
function evaluate(hours, date, limit) {
  const iterator = hours.getIterator(date);
  const state = stateOf(iterator);
  while (iterator.advance(limit)) {
    const next = stateOf(iterator);
    if (next !== state) return { state, next: iterator.getDate().getTime(), nextState: next };
  }
  return { state, next: null, nextState: null };
}

// Offset changes of the local zone, found with Date#getTimezoneOffset alone (independent of the
// library under test): hourly samples, then bisection to the millisecond.
function transitionsOf(start, end) {
  const offsetAt = (time) => new Date(time).getTimezoneOffset();
  const found = [];
  let previous = offsetAt(start);
  for (let time = start + 3_600_000; time <= end; time += 3_600_000) {
    const offset = offsetAt(time);
    if (offset !== previous) {
      let low = time - 3_600_000;
      let high = time;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(middle) === previous) low = middle;
        else high = middle;
      }
      found.push([high, (previous - offset) * 60_000]);
      previous = offset;
    }
  }
  return found;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', () => {
  const request = JSON.parse(input);
  const results = request.schedules.map(({ rule, instants, limits }) => {
    const hours = new OpeningHours(rule, null, { tag_key: 'opening_hours' });
    return instants.map((time, index) => {
      try {
        return evaluate(hours, new Date(time), new Date(limits[index]));
      } catch (error) {
        return { state: null, next: null, nextState: null, error: String(error) };
      }
    });
  });
  const answer = {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    transitions: transitionsOf(request.windowStart, request.windowEnd),
    results,
  };
  process.stdout.write(JSON.stringify(answer));
});

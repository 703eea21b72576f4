import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availability } from '../../src/schedule/availability.js';
import { nextChange } from '../../src/schedule/next-change.js';
import type { ScheduleSettings } from '../../src/schedule/schedule-types.js';
import { approximateTransitions, AWKWARD_ZONES, caseArbitrary } from './support/random-schedules.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Instants to probe strictly inside (from, to): evenly spread, plus both sides of each offset change. */
function probesBetween(timeZone: string, from: number, to: number, count: number): number[] {
  const probes: number[] = [];
  const span = Math.min(to, from + 400 * DAY) - from;
  for (let index = 1; index <= count; index++) probes.push(from + Math.floor((span * index) / (count + 1)));
  for (const transition of approximateTransitions(timeZone)) {
    for (const probe of [transition - 1, transition, transition + 1]) if (probe > from && probe < to) probes.push(probe);
  }
  return probes;
}

/** The first whole minute after `time` at which availability differs, within `limit` minutes. */
function bruteForceChange(settings: ScheduleSettings, time: number, limit: number): number | null {
  const initial = availability(settings, new Date(time));
  let probe = Math.floor(time / MINUTE) * MINUTE + MINUTE;
  for (let step = 0; step < limit; step++, probe += MINUTE) {
    if (availability(settings, new Date(probe)) !== initial) return probe;
  }
  return null;
}

describe('availability and nextChange, on random schedules', () => {
  it('R21: nextChange is the first instant after `at` at which availability changes', () => {
    fc.assert(
      fc.property(caseArbitrary(AWKWARD_ZONES), ({ settings, time }) => {
        const at = new Date(time);
        const before = availability(settings, at);
        const change = nextChange(settings, at);
        if (change === null) {
          // Never again: spot-check the next 400 days.
          const differing = probesBetween(settings.timeZone, time, time + 400 * DAY, 64).filter(
            (probe) => availability(settings, new Date(probe)) !== before,
          );
          expect(differing).toEqual([]);
          return;
        }
        const changeTime = change.at.getTime();
        expect(changeTime).toBeGreaterThan(time);
        expect(change.state).not.toBe(before);
        expect(availability(settings, change.at)).toBe(change.state);
        // Exact: one millisecond earlier is still the old state.
        expect(availability(settings, new Date(changeTime - 1))).toBe(before);
        const differing = probesBetween(settings.timeZone, time, changeTime, 32).filter(
          (probe) => availability(settings, new Date(probe)) !== before,
        );
        expect(differing).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('R21: nextChange agrees with a minute-by-minute walk (brute-force oracle)', () => {
    // Offsets are whole minutes in these years, so availability can only change on a whole
    // minute: the walk finds the exact change within its 15 days.
    const limit = 15 * 1440;
    fc.assert(
      fc.property(caseArbitrary(AWKWARD_ZONES), ({ settings, time }) => {
        const expected = bruteForceChange(settings, time, limit);
        const change = nextChange(settings, new Date(time));
        if (expected === null) {
          expect(change === null || change.at.getTime() > Math.floor(time / MINUTE) * MINUTE + limit * MINUTE).toBe(true);
        } else {
          expect(change?.at.getTime()).toBe(expected);
          expect(change?.state).toBe(availability(settings, new Date(expected)));
        }
      }),
      { numRuns: 250 },
    );
  });

  it('R21: following nextChange visits every change of a walk in order', () => {
    fc.assert(
      fc.property(caseArbitrary(['America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago']), ({ settings, time }) => {
        const end = time + 10 * DAY;
        const fromWalk: number[] = [];
        let state = availability(settings, new Date(time));
        for (let probe = Math.floor(time / MINUTE) * MINUTE + MINUTE; probe <= end; probe += MINUTE) {
          const next = availability(settings, new Date(probe));
          if (next !== state) fromWalk.push(probe);
          state = next;
        }
        const fromChain: number[] = [];
        let at = new Date(time);
        for (;;) {
          const change = nextChange(settings, at);
          if (change === null || change.at.getTime() > end) break;
          fromChain.push(change.at.getTime());
          at = change.at;
        }
        expect(fromChain).toEqual(fromWalk);
      }),
      { numRuns: 60 },
    );
  });
});

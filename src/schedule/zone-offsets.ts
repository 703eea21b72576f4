/**
 * UTC offsets of an IANA time zone, looked up in O(1) after a one-time scan.
 *
 * Offsets come from `@date-fns/tz`'s `tzOffset` (the runtime's own zone data through `Intl`),
 * never from a hand-made table. Asking `Intl` costs ~2 µs an instant, too slow for
 * `availability` in a loop, so each zone's offsets are scanned once per stretch of 256 days and
 * kept as a short list of exact transition instants.
 *
 * @module
 */
import { tzOffset } from '@date-fns/tz/tzOffset';

const HOUR_MS = 3_600_000;
/**
 * Offsets are sampled every 6 hours and each change is then pinned to the millisecond by
 * bisection. Two transitions less than 6 hours apart that cancel each other out would be missed;
 * an hourly scan of every zone of the runtime from 1970 to 2045 found none (the closest two
 * transitions of any zone are 7 days apart).
 */
const SAMPLE_STEP_MS = 6 * HOUR_MS;
/** 256 days a chunk: a year of random instants touches two or three. */
const SAMPLES_PER_CHUNK = 1024;
const CHUNK_MS = SAMPLE_STEP_MS * SAMPLES_PER_CHUNK;
/** The range of a JavaScript `Date`. */
const MAX_TIME_MS = 8.64e15;
/** A zone asked about instants all over time would otherwise keep every chunk it ever built. */
const MAX_CHUNKS_PER_ZONE = 4096;

/** The offsets of one stretch of time `[start, end)`. */
type OffsetChunk = {
  start: number;
  end: number;
  /** Instants (ms) at which a new offset takes effect, ascending, within `(start, end)`. */
  changes: number[];
  /** `offsets[0]` holds from `start`, `offsets[i + 1]` from `changes[i]`; in milliseconds. */
  offsets: number[];
};

/**
 * The offsets of one time zone. Get one with {@link zoneOffsets}.
 *
 * @example
 * ```ts
 * const seoul = zoneOffsets('Asia/Seoul');
 * seoul.offsetAt(Date.UTC(2026, 0, 1)); // → 32_400_000 (+09:00)
 * ```
 */
export class ZoneOffsets {
  /**
   * After {@link ZoneOffsets.offsetAt}: the first instant (ms) after the one asked about at which
   * the offset may change. The offset is constant from the asked instant up to, not including, it.
   */
  segmentEnd = 0;

  private readonly chunks = new Map<number, OffsetChunk>();
  private lastChunk: OffsetChunk | undefined;

  constructor(readonly timeZone: string) {}

  /**
   * The UTC offset (ms, east positive) in force at `time` (ms since the epoch), and sets
   * {@link ZoneOffsets.segmentEnd}.
   *
   * @example
   * ```ts
   * zoneOffsets('America/New_York').offsetAt(Date.UTC(2026, 6, 1)); // → -14_400_000 (-04:00)
   * ```
   */
  offsetAt(time: number): number {
    let chunk = this.lastChunk;
    if (chunk === undefined || time < chunk.start || time >= chunk.end) {
      chunk = this.chunkAt(time);
      this.lastChunk = chunk;
    }
    const changes = chunk.changes;
    let index = 0;
    while (index < changes.length && (changes[index] as number) <= time) index++;
    this.segmentEnd = index < changes.length ? (changes[index] as number) : chunk.end;
    return chunk.offsets[index] as number;
  }

  private chunkAt(time: number): OffsetChunk {
    const key = Math.floor(time / CHUNK_MS);
    let chunk = this.chunks.get(key);
    if (chunk === undefined) {
      if (this.chunks.size >= MAX_CHUNKS_PER_ZONE) this.chunks.clear();
      chunk = this.scan(key * CHUNK_MS);
      this.chunks.set(key, chunk);
    }
    return chunk;
  }

  private scan(start: number): OffsetChunk {
    const end = start + CHUNK_MS;
    const changes: number[] = [];
    let previousTime = start;
    let previousOffset = this.sample(start);
    const offsets = [previousOffset];
    for (let step = 1; step <= SAMPLES_PER_CHUNK; step++) {
      const time = start + step * SAMPLE_STEP_MS;
      const offset = this.sample(time);
      // Usually no change at all; a few zones change twice within one step (each is found in turn).
      while (offset !== previousOffset) {
        const change = this.firstChange(previousTime, previousOffset, time);
        const offsetAfter = this.sample(change);
        // A change exactly at `end` belongs to the next chunk, whose first sample shows it.
        if (change < end) {
          changes.push(change);
          offsets.push(offsetAfter);
        }
        previousTime = change;
        previousOffset = offsetAfter;
      }
      previousTime = time;
    }
    return { start, end, changes, offsets };
  }

  /** Bisects `(after, upTo]` for the first instant whose offset is not `offsetBefore`. */
  private firstChange(after: number, offsetBefore: number, upTo: number): number {
    let low = after;
    let high = upTo;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.sample(middle) === offsetBefore) low = middle;
      else high = middle;
    }
    return high;
  }

  private sample(time: number): number {
    const clamped = Math.min(Math.max(time, -MAX_TIME_MS), MAX_TIME_MS);
    // tzOffset answers minutes, with seconds as a fraction for the local mean times of old dates.
    return Math.round(tzOffset(this.timeZone, new Date(clamped)) * 60_000);
  }
}

const zones = new Map<string, ZoneOffsets>();

/**
 * The shared {@link ZoneOffsets} of a time zone the runtime knows (`Intl.DateTimeFormat`
 * accepts it). Validate user input with `timeZoneSchema` first; this only guards.
 *
 * @throws RangeError for a time zone the runtime does not know.
 *
 * @example
 * ```ts
 * zoneOffsets('Asia/Kathmandu').offsetAt(Date.UTC(2026, 0, 1)); // → 20_700_000 (+05:45)
 * ```
 */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    if (!runtimeKnowsTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
    zone = new ZoneOffsets(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

function runtimeKnowsTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  return Number.isFinite(tzOffset(timeZone, new Date(0)));
}

/**
 * Progress maths, pure. Speed is the bytes of the last `SPEED_WINDOW_MS` over that time: a sliding
 * window of cumulative counts (throughput.ts `addRateSample`), so it says what the link did in the
 * last seconds and nothing older. It starts from a baseline taken when the work starts, or starts
 * again after a pause, a wait or an idle list (`restartSpeed`): a new batch of tiny files does not
 * begin at the rate of the big file before it (it read "6.3 MB/s" while sending 4 KB/s), and the
 * idle time does not read as a slow link.
 *
 * From the baseline it is the plain average (all bytes over all the time): six parts sent side by side
 * finish together, and the first of them alone reads a sixth of the rate; the five that follow a
 * moment later count in full at once. Samples far apart (a part a minute on a slow uplink) keep one
 * sample at or before the window's start, so the rate always spans at least two of them.
 *
 * An upload's bytes are those its bar shows: parts confirmed, and the parts in flight as estimated
 * (`addEstimateSample`). From confirmed parts alone the speed swung on a steady link: six 5 MiB parts
 * at 3 MiB/s are answered together every 10 s, so the window held one batch of answers or two, and
 * the speed read 1.8 to 4.0 MiB/s while the time left climbed by 10 s at a time.
 *
 * `movedAt` says when bytes last came: `speedStalled` once none have for `stallMs` (`STALL_MS`, or for an
 * upload's estimate a share of its parts' expected time: `speedExpecting`), and then the page shows no
 * speed or time left until they come again (a hung store is no slow link).
 */
import { addRateSample, STALL_MS, STALL_PART_SHARE, type RateWindow } from './throughput.ts';

export interface SpeedState {
  /** Bytes per second over the window; 0 until the first sample after a (re)start. */
  bytesPerSecond: number;
  /** Time of the previous sample (or of the (re)start), ms. */
  lastAt: number;
  samples: number;
  /** Time the samples cover, ms (the idle time of a pause left out). */
  span: number;
  /** Bytes the samples carried. */
  bytes: number;
  /** When bytes last came, or the work (re)started, ms. */
  movedAt: number;
  /** Stalled once no bytes came for this long, ms: `STALL_MS` unless `speedExpecting` says longer. */
  stallMs: number;
  /** Cumulative `bytes` at the samples since the (re)start, within the window (plus one before). */
  window: RateWindow;
}

export const SPEED_WINDOW_MS = 10_000;

/** Samples far apart are one window still: a slow uplink's parts come a minute apart. */
const SPEED_WINDOW = { windowMs: SPEED_WINDOW_MS, idleGapMs: Infinity } as const;

export function startSpeed(now: number): SpeedState {
  return {
    bytesPerSecond: 0,
    lastAt: now,
    samples: 0,
    span: 0,
    bytes: 0,
    movedAt: now,
    stallMs: STALL_MS,
    window: [{ at: now, bytes: 0, files: 0 }],
  };
}

/**
 * `minBytes`: a window carrying fewer bytes says nothing of the link, and the speed stays what it was
 * (none, just after a (re)start). An upload passes its full part size: its last part, a few bytes,
 * confirmed first after a wait while the full parts were still on their way, read "0 B/s" and a time
 * left of two years.
 */
export function addSpeedSample(state: SpeedState, bytes: number, now: number, minBytes = 0): SpeedState {
  const { total, window, carried, rate } = windowed(state, bytes, now);
  return {
    bytesPerSecond: carried >= minBytes ? rate : state.bytesPerSecond,
    lastAt: now,
    samples: state.samples + 1,
    span: state.span + Math.max(1, now - state.lastAt),
    bytes: total,
    movedAt: bytes > 0 ? now : state.movedAt,
    stallMs: state.stallMs,
    window,
  };
}

/** The window with `bytes` more at `now`, the bytes it carries and their rate (bytes per second). */
function windowed(state: SpeedState, bytes: number, now: number) {
  const total = state.bytes + bytes;
  const window = addRateSample(state.window, { at: now, bytes: total, files: 0 }, SPEED_WINDOW);
  const first = window[0]!;
  const carried = total - first.bytes;
  return { total, window, carried, rate: (carried * 1000) / Math.max(1, now - first.at) };
}

/**
 * The parts in flight were shown `bytes` further (sending-estimate.ts): the speed is the slope of the
 * bar. (A confirmed part adds, through `addSpeedSample`, what its estimate had not shown; a part
 * dropped takes nothing back: its bytes went over the link.) It only moves a speed the parts
 * confirmed since the (re)start have given: the estimate runs at the rate measured before, and after
 * a pause or a new batch that says nothing of the link now.
 */
export function addEstimateSample(state: SpeedState, bytes: number, now: number): SpeedState {
  if (bytes === 0) return state;
  const { total, window, carried, rate } = windowed(state, bytes, now);
  return {
    ...state,
    bytesPerSecond: state.bytesPerSecond > 0 && carried > 0 ? rate : state.bytesPerSecond,
    bytes: total,
    window,
  };
}

/**
 * After a pause, a wait or an idle list the window starts again from now: the idle time does not
 * read as a slow link, and the bytes before it say nothing of the link now (no speed until a sample).
 */
export function restartSpeed(state: SpeedState, now: number): SpeedState {
  return {
    ...state,
    bytesPerSecond: 0,
    lastAt: now,
    movedAt: now,
    window: [{ at: now, bytes: state.bytes, files: 0 }],
  };
}

/** Bytes are on their way (an upload's estimate of the parts in flight grew): not stalled. */
export function speedMoved(state: SpeedState, now: number): SpeedState {
  return now > state.movedAt ? { ...state, movedAt: now } : state;
}

/**
 * The parts in flight are expected to take `partMs` each (null: not known, the last word stands): an
 * estimate that stopped short of a part's end (sending-estimate.ts `ESTIMATE_CAP`) is stalled only
 * `STALL_PART_SHARE` of that later, never sooner than `STALL_MS`.
 */
export function speedExpecting(state: SpeedState, partMs: number | null): SpeedState {
  if (partMs === null) return state;
  const stallMs = Math.max(STALL_MS, Math.ceil(STALL_PART_SHARE * partMs));
  return stallMs === state.stallMs ? state : { ...state, stallMs };
}

/** No bytes for `stallMs`: the speed and the time left say nothing true until they come again. */
export function speedStalled(state: SpeedState, now: number): boolean {
  return now - state.movedAt >= state.stallMs;
}

/** Seconds left, or null when unknown (no speed yet). */
export function etaSeconds(remainingBytes: number, bytesPerSecond: number): number | null {
  if (remainingBytes <= 0) return 0;
  if (!(bytesPerSecond > 0)) return null;
  return Math.ceil(remainingBytes / bytesPerSecond);
}

/**
 * Time left for a batch of transfers, pure. Small files cost a request each whatever their size, so a
 * byte rate alone is far off for them (2,013 tiny uploads read "22 min 57 s" and took 82 s). The
 * estimate is the larger of bytes left at the recent byte rate and files left at the recent file rate;
 * both rates are measured over a sliding window of cumulative counters, from the first sample after
 * the work started (not from when the page was opened, nor across the latency of the first files),
 * and nothing is said until the window holds a few samples over a few seconds.
 */

/** Cumulative counters at one moment: bytes moved and files finished so far. */
export interface RateSample {
  at: number;
  bytes: number;
  files: number;
}

/** Samples in time order, at most `RATE_WINDOW_MS` apart from first to last (plus one before). */
export type RateWindow = readonly RateSample[];

export interface Rates {
  bytesPerSecond: number;
  filesPerSecond: number;
  /** Enough samples over enough time to be shown. */
  settled: boolean;
}

export const RATE_WINDOW_MS = 20_000;
/** Samples closer than this are merged into one (the window stays small at any notify rate). */
export const RATE_SAMPLE_SPACING_MS = 250;
/** A gap this long between samples means the work stopped and started again: the window restarts. */
export const RATE_IDLE_GAP_MS = 5_000;
/** Before this span and this many samples, rates are not settled and no ETA is given. */
export const RATE_SETTLE_MS = 2_000;
export const RATE_SETTLE_SAMPLES = 4;
/**
 * Samples that cover this long settle the rate however few they are: one part that took 80 s on a
 * slow uplink measures it well, and 4 of them would take over 5 minutes.
 */
export const RATE_SETTLE_SPAN_MS = 10_000;

/**
 * Nothing has moved (no byte, no file) for this long: the speed and the time left are no longer
 * shown (a hung store, a stalled link), as they are not while offline, until something moves again.
 */
export const STALL_MS = 5_000;
/**
 * An upload's parts in flight are estimated (fetch reports no upload progress), up to 95 % of each: a
 * part on a link a little slower than measured stays there for a while before its answer. So an upload
 * is stalled only this share of a part's expected time (when that is longer than `STALL_MS`) after its
 * estimate stopped: a 60 s part, 30 s later (a slow link is no hung store).
 */
export const STALL_PART_SHARE = 0.5;

export const EMPTY_WINDOW: RateWindow = [];

/** How long a window is, and how long a gap between samples restarts it (`Infinity`: never). */
export interface WindowOptions {
  windowMs?: number;
  idleGapMs?: number;
}

export function addRateSample(
  window: RateWindow,
  sample: RateSample,
  { windowMs = RATE_WINDOW_MS, idleGapMs = RATE_IDLE_GAP_MS }: WindowOptions = {},
): RateWindow {
  const last = window[window.length - 1];
  if (last === undefined || sample.at - last.at >= idleGapMs || sample.at < last.at) return [sample];
  const previous = window[window.length - 2];
  // Merge into the last sample while it is recent; the first sample (the baseline) is never moved.
  const kept =
    previous !== undefined && sample.at - previous.at < RATE_SAMPLE_SPACING_MS ? window.slice(0, -1) : window;
  let from = 0;
  // Keep one sample at or before the window's start, so the span covers the whole window.
  while (from + 1 < kept.length && sample.at - kept[from + 1]!.at >= windowMs) from++;
  return [...kept.slice(from), sample];
}

/**
 * How long nothing has moved, as of the last sample: from the first sample that holds the last one's
 * counts (bytes and files) to the last. 0 when the last sample moved something (or there is none).
 */
export function sinceMoved(window: RateWindow): number {
  const last = window[window.length - 1];
  if (last === undefined) return 0;
  let i = window.length - 1;
  while (i > 0 && window[i - 1]!.bytes === last.bytes && window[i - 1]!.files === last.files) i--;
  return last.at - window[i]!.at;
}

export function windowRates(window: RateWindow): Rates {
  const first = window[0];
  const last = window[window.length - 1];
  if (first === undefined || last === undefined || last.at <= first.at) {
    return { bytesPerSecond: 0, filesPerSecond: 0, settled: false };
  }
  const seconds = (last.at - first.at) / 1000;
  return {
    bytesPerSecond: Math.max(0, last.bytes - first.bytes) / seconds,
    filesPerSecond: Math.max(0, last.files - first.files) / seconds,
    settled: window.length >= RATE_SETTLE_SAMPLES && last.at - first.at >= RATE_SETTLE_MS,
  };
}

/**
 * Seconds left: the larger of bytes left at the byte rate and files left at the file rate (a file
 * rate of 0, say while one big file runs, leaves the byte term alone). Null when unknown: not settled
 * yet, or nothing moved in the window (stalled). `files` are those not yet under way (no byte moved):
 * a file under way is in `bytes`, and its few files at the rate of the files that finished beside it
 * read as long as the window (one big file running on after a small one: "21 s left" to the end).
 */
export function estimateEta(
  left: {
    bytes: number;
    files: number;
    /** Files under way with every byte moved, still finishing (Complete, verify, save): no time to say. */
    finishing?: number;
  },
  rates: Rates,
): number | null {
  if (left.bytes <= 0 && left.files <= 0) return (left.finishing ?? 0) > 0 ? null : 0;
  if (!rates.settled) return null;
  let seconds = 0;
  if (left.bytes > 0) {
    if (!(rates.bytesPerSecond > 0)) return null;
    seconds = left.bytes / rates.bytesPerSecond;
  }
  if (left.files > 0 && rates.filesPerSecond > 0)
    seconds = Math.max(seconds, left.files / rates.filesPerSecond);
  else if (left.bytes <= 0) return null; // only empty files left and none finished lately
  return Math.ceil(seconds);
}

/**
 * The file rate from the files that finished lately (`at`: when each finished), for a list that keeps
 * no samples of its own: the finishes within `RATE_WINDOW_MS` before `now` (an older batch says
 * nothing of the link now), the first of them the baseline, so the latency before it does not count.
 * No byte rate: files that shared the link finish together, and their bytes over the time between
 * their finishes reads many times the link (twelve 200 MB files on 50 MB/s: 222 MB/s).
 */
export function completionRates(
  finished: readonly { at: number }[],
  now: number,
  windowMs: number = RATE_WINDOW_MS,
): Pick<Rates, 'filesPerSecond' | 'settled'> {
  let latest = -Infinity;
  let first = Infinity;
  let count = 0;
  for (const f of finished) {
    if (f.at < now - windowMs) continue;
    count++;
    if (f.at > latest) latest = f.at;
    if (f.at < first) first = f.at;
  }
  if (count < 2 || !(latest > first)) return { filesPerSecond: 0, settled: false };
  return {
    filesPerSecond: (count - 1) / ((latest - first) / 1000),
    settled: count >= RATE_SETTLE_SAMPLES && latest - first >= RATE_SETTLE_MS,
  };
}

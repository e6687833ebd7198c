/**
 * How many part PUTs the uplink carries at once, and how long one may take before it counts as
 * stalled. Pure maths over the measured uplink rate.
 *
 * `fetch` reports no upload progress, so a stalled PUT shows only as one taking too long. "Too long"
 * depends on how many parts share the link. On a slow link (hotel Wi-Fi, tethering), six 5 MiB
 * parts at once each get a sixth of it. They then take many minutes. A fixed deadline then killed
 * every batch just before it finished, on every retry. And a dropped connection threw away six
 * nearly sent parts, not one.
 *
 * So the deadline grows with each part's share of the measured rate. Parts in flight are capped so
 * each finishes in about `TARGET_PART_SECONDS`. On a fast link the cap is the configured concurrency
 * and the deadline is `stallTimeoutMs` plus a little.
 */

/** A part should take about this long on the measured link; more parts in flight only share it. */
export const TARGET_PART_SECONDS = 30;

/** The slowest rate a deadline ever assumes, so it stays finite: 5 MiB then gets about 85 minutes. */
const SLOWEST_BYTES_PER_SECOND = 1024;

/**
 * Parts in flight for the measured link. `linkBytesPerSecond` is measured on parts big enough to
 * show the bandwidth and not the latency. Unknown (0) means the configured concurrency.
 */
export function pacedPartsInFlight(
  linkBytesPerSecond: number,
  partBytes: number,
  concurrency: number,
): number {
  if (!(linkBytesPerSecond > 0) || !(partBytes > 0)) return concurrency;
  const fits = Math.floor((linkBytesPerSecond * TARGET_PART_SECONDS) / partBytes);
  return Math.min(concurrency, Math.max(1, fits));
}

/**
 * Parts in flight across all files before one has gone through: the link is unknown then. Six files
 * each sending part 1 shared it six ways, so the first progress (and the first rate) came after six
 * parts' time, all at once (7.5 s for 5 MiB parts at 4 MiB/s). One part alone is through after one
 * part's time and measures the link; on a fast one that costs one part's round trip (tens of ms).
 */
export const SLOW_START_PARTS = 1;

/**
 * Parts in flight across all files (the page's slots): `SLOW_START_PARTS` until a part has gone
 * through (`partSent`), then what the measured link carries (`pacedPartsInFlight`), never more than
 * `stallCap` (halved on a stall, growing back by one per part sent).
 */
export function partSlots(o: {
  partSent: boolean;
  linkBytesPerSecond: number;
  partBytes: number;
  concurrency: number;
  stallCap: number;
}): number {
  if (!o.partSent) return Math.min(SLOW_START_PARTS, o.concurrency);
  return Math.max(
    1,
    Math.min(o.stallCap, pacedPartsInFlight(o.linkBytesPerSecond, o.partBytes, o.concurrency)),
  );
}

/**
 * How long a part's PUT may take: `stallTimeoutMs`, plus its bytes at an assumed rate. The assumed
 * rate is the floor speed at most. With the link measured, it is half the part's share of it, shared
 * with the other `inFlight` PUTs. Unmeasured, the floor is taken as the whole link's, shared the same
 * way. A slow link thus never reads as a stall, and a fast one notices a hung request as before.
 */
export function partDeadlineMs(
  size: number,
  o: { linkBytesPerSecond: number; inFlight: number; stallTimeoutMs: number; minBytesPerSecond: number },
): number {
  const sharing = Math.max(1, o.inFlight);
  const share =
    o.linkBytesPerSecond > 0
      ? Math.max(SLOWEST_BYTES_PER_SECOND, o.linkBytesPerSecond / sharing / 2)
      : o.minBytesPerSecond / sharing;
  const assumed = Math.min(o.minBytesPerSecond, share);
  return o.stallTimeoutMs + Math.ceil((size / assumed) * 1000);
}

/** Parts smaller than this time the latency more than the bandwidth: they say nothing of the link. */
export const LINK_SAMPLE_MIN_BYTES = 1024 * 1024;

/**
 * The uplink rate after a part of `size` bytes took `durationMs` while `sharing` PUTs (itself
 * included) were in flight: the new sample, averaged with the previous estimate (0: none yet).
 * Parts answer in bursts on a slow link, so a per-part sample is steadier than bytes over time.
 */
export function nextLinkRate(previous: number, size: number, sharing: number, durationMs: number): number {
  if (size < LINK_SAMPLE_MIN_BYTES || !(durationMs > 0)) return previous;
  const sample = (size * Math.max(1, sharing) * 1000) / durationMs;
  return previous > 0 ? (previous + sample) / 2 : sample;
}

/**
 * The uplink rate after a part stalled: at most half of what would have carried it, `sharing` PUTs
 * in flight, in the `elapsedMs` it was given. A link that got slower since it was measured (Wi-Fi
 * to tethering) gets deadlines and pacing for its new speed, not stalls until the retries run out.
 */
export function linkRateAfterStall(
  previous: number,
  size: number,
  sharing: number,
  elapsedMs: number,
): number {
  const bound = (size * Math.max(1, sharing) * 1000) / Math.max(1, elapsedMs);
  return (previous > 0 ? Math.min(previous, bound) : bound) / 2;
}

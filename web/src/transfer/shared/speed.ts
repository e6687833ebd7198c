/**
 * Progress maths, pure. Speed is an exponentially weighted moving average over irregular samples
 * (bytes confirmed at time t): each sample moves the estimate by `1 - exp(-dt / tau)`, so many small
 * parts finishing together weigh the same as one big part covering the same time.
 *
 * For the first `tau` of samples it is the plain average instead (all bytes over all the time): six
 * parts sent side by side finish together, and the first of them alone reads a sixth of the rate. An
 * average puts the five that follow a moment later at their full weight; the moving average would
 * start from the sixth and take `tau` to catch up.
 */
export interface SpeedState {
  /** Bytes per second; 0 until the first sample. */
  bytesPerSecond: number;
  /** Time of the previous sample (or of the start), ms. */
  lastAt: number;
  samples: number;
  /** Time the samples cover, ms (the idle time of a pause left out). */
  span: number;
  /** Bytes the samples carried. */
  bytes: number;
}

export const SPEED_TAU_MS = 5_000;

export function startSpeed(now: number): SpeedState {
  return { bytesPerSecond: 0, lastAt: now, samples: 0, span: 0, bytes: 0 };
}

export function addSpeedSample(
  state: SpeedState,
  bytes: number,
  now: number,
  tauMs: number = SPEED_TAU_MS,
): SpeedState {
  const dt = Math.max(1, now - state.lastAt);
  const rate = (bytes * 1000) / dt;
  const next = { lastAt: now, samples: state.samples + 1, span: state.span + dt, bytes: state.bytes + bytes };
  if (state.samples === 0) return { ...next, bytesPerSecond: rate };
  if (next.span <= tauMs) return { ...next, bytesPerSecond: (next.bytes * 1000) / next.span };
  const alpha = 1 - Math.exp(-dt / tauMs);
  return { ...next, bytesPerSecond: state.bytesPerSecond + alpha * (rate - state.bytesPerSecond) };
}

/** After a pause the clock restarts so the idle time does not read as a slow link. */
export function restartSpeed(state: SpeedState, now: number): SpeedState {
  return { ...state, lastAt: now };
}

/** Seconds left, or null when unknown (no speed yet). */
export function etaSeconds(remainingBytes: number, bytesPerSecond: number): number | null {
  if (remainingBytes <= 0) return 0;
  if (!(bytesPerSecond > 0)) return null;
  return Math.ceil(remainingBytes / bytesPerSecond);
}

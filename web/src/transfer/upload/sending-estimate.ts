/**
 * How far the parts in flight have got, estimated: fetch reports no upload progress, so without this
 * a file's bar moves only when a whole part (5 MiB) is confirmed. Pure; the manager feeds it part
 * starts and ends and advances it on a timer.
 *
 * The model: every part request shares the one uplink, so each part in flight is credited an equal
 * share of the measured rate for the time it is in flight, up to `ESTIMATE_CAP` of its size (the rest
 * only its answer can confirm). The rate is measured, never assumed: bytes S3 confirmed divided by the
 * time parts were in flight for them (time with nothing in flight does not count), both sums decaying
 * with `RATE_TAU_MS` of that time, so a burst of parts finishing together weighs as much as the time
 * they took and no more. Until a part has completed there is no rate, and no estimate.
 *
 * Each part's estimate only grows (a changing rate changes its slope, not its value). A completed
 * part's estimate becomes its real size (at least 5 % more). A part that failed and will be sent again
 * keeps what it showed (`partRetrying`): its next attempt counts from zero and shows only once it gets
 * past that, so a bar holds still through a retry instead of stepping back (Chrome's downloads never
 * step back; Uppy's bars do). An aborted part, or one that failed for good, is dropped: the bar falls
 * back to what S3 confirmed, never below it.
 */
export const ESTIMATE_CAP = 0.95;
export const RATE_TAU_MS = 20_000;

export interface SendingPart {
  readonly file: string;
  readonly partNumber: number;
  readonly size: number;
  /** Estimated bytes of it sent so far, at most `ESTIMATE_CAP` of `size`. */
  readonly sent: number;
  /** What an earlier, failed attempt showed: shown until `sent` gets past it. */
  readonly held: number;
  /** False between a failed attempt and the next (backoff): it takes no share of the rate. */
  readonly inFlight: boolean;
}

export interface SendingState {
  /** Time of the last advance, ms. */
  readonly at: number;
  readonly parts: readonly SendingPart[];
  /** Decaying sums: bytes confirmed, and the time (ms) parts were in flight for them. */
  readonly rateBytes: number;
  readonly rateMs: number;
  /** Time parts were in flight since the last part completed, ms. */
  readonly busyMs: number;
}

export function startSending(now: number): SendingState {
  return { at: now, parts: [], rateBytes: 0, rateMs: 0, busyMs: 0 };
}

/** Bytes per second over all parts in flight; 0 until a part has completed. */
export function measuredRate(state: SendingState): number {
  return state.rateMs > 0 ? (state.rateBytes * 1000) / state.rateMs : 0;
}

/**
 * Credits each part in flight its share of the rate since the last advance. `moving: false` (offline,
 * nothing can be getting through) lets the time pass without crediting anything or counting it busy.
 */
export function advance(state: SendingState, now: number, moving = true): SendingState {
  const dt = Math.max(0, now - state.at);
  if (dt === 0) return state;
  const inFlight = partsInFlight(state);
  if (inFlight === 0 || !moving) return { ...state, at: now };
  const share = (measuredRate(state) / inFlight) * (dt / 1000);
  const parts =
    share > 0
      ? state.parts.map((p) => {
          if (!p.inFlight) return p;
          const sent = Math.min(p.size * ESTIMATE_CAP, p.sent + share);
          return sent === p.sent ? p : { ...p, sent };
        })
      : state.parts;
  return { ...state, at: now, parts, busyMs: state.busyMs + dt };
}

export function partStarted(
  state: SendingState,
  file: string,
  partNumber: number,
  size: number,
  now: number,
): SendingState {
  const advanced = advance(state, now);
  const held = find(advanced.parts, file, partNumber)?.held ?? 0;
  return {
    ...advanced,
    parts: [
      ...without(advanced.parts, file, partNumber),
      { file, partNumber, size, sent: 0, held, inFlight: true },
    ],
  };
}

/** Parts being sent now (not waiting to be tried again). */
export function partsInFlight(state: SendingState): number {
  let n = 0;
  for (const p of state.parts) if (p.inFlight) n++;
  return n;
}

/** S3 confirmed the part: its estimate goes, and its bytes and time are a rate sample. */
export function partDone(state: SendingState, file: string, partNumber: number, now: number): SendingState {
  const advanced = advance(state, now);
  const part = find(advanced.parts, file, partNumber);
  if (!part) return advanced;
  const decay = Math.exp(-advanced.busyMs / RATE_TAU_MS);
  return {
    ...advanced,
    parts: without(advanced.parts, file, partNumber),
    rateBytes: advanced.rateBytes * decay + part.size,
    rateMs: advanced.rateMs * decay + advanced.busyMs,
    busyMs: 0,
  };
}

/**
 * The part failed and will be sent again: what it showed is held (not credited any further) until its
 * next attempt gets past it.
 */
export function partRetrying(
  state: SendingState,
  file: string,
  partNumber: number,
  now: number,
): SendingState {
  const advanced = advance(state, now);
  const part = find(advanced.parts, file, partNumber);
  if (!part?.inFlight) return advanced;
  const held = { ...part, held: Math.max(part.held, part.sent), sent: 0, inFlight: false };
  return { ...advanced, parts: advanced.parts.map((p) => (p === part ? held : p)) };
}

/** The part was aborted or failed for good: its estimate goes (its bytes may never have arrived). */
export function partDropped(
  state: SendingState,
  file: string,
  partNumber: number,
  now: number,
): SendingState {
  const advanced = advance(state, now);
  const parts = without(advanced.parts, file, partNumber);
  return parts.length === advanced.parts.length ? advanced : { ...advanced, parts };
}

/**
 * How long one file's parts in flight are expected to take, each with its share of the measured rate:
 * the longest of them, ms; null before a rate is measured or with none of its parts in flight.
 */
export function expectedPartMs(state: SendingState, file: string): number | null {
  const rate = measuredRate(state);
  const inFlight = partsInFlight(state);
  if (!(rate > 0) || inFlight === 0) return null;
  let longest: number | null = null;
  for (const p of state.parts) {
    if (p.file !== file || !p.inFlight) continue;
    const ms = (p.size / (rate / inFlight)) * 1000;
    if (longest === null || ms > longest) longest = ms;
  }
  return longest;
}

/** What one part in flight shows (its estimate, or what an earlier attempt showed), whole bytes; 0 if none. */
export function partShown(state: SendingState, file: string, partNumber: number): number {
  const part = find(state.parts, file, partNumber);
  return part ? Math.floor(Math.max(part.sent, part.held)) : 0;
}

/** Estimated bytes of one file's parts in flight (whole bytes). */
export function sendingBytes(state: SendingState, file: string): number {
  let sent = 0;
  for (const p of state.parts) if (p.file === file) sent += Math.max(p.sent, p.held);
  return Math.floor(sent);
}

function find(parts: readonly SendingPart[], file: string, partNumber: number): SendingPart | undefined {
  return parts.find((p) => p.file === file && p.partNumber === partNumber);
}

function without(parts: readonly SendingPart[], file: string, partNumber: number): readonly SendingPart[] {
  return parts.filter((p) => p.file !== file || p.partNumber !== partNumber);
}

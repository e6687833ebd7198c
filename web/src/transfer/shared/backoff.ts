export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. */
  baseMs: number;
  /** No delay ceiling grows past this, in ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, capMs: 20_000 } as const satisfies BackoffOptions;

/**
 * Exponential backoff with full jitter (AWS architecture blog): a uniform delay in
 * [0, min(cap, base * 2^(attempt-1))). `attempt` counts failures so far, from 1. Pure given `random`.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exp = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * exp);
}

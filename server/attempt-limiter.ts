/**
 * Failed attempts per key (a client address) in a fixed window that opens at the key's first failure:
 * once `limit` failures fall in one window, the key waits until that window ends. No I/O, no timers:
 * the clock is injected, and memory is bounded by `maxKeys` (the oldest window is forgotten first).
 */
export interface AttemptLimiterOptions {
  /** Failures allowed in one window; the next attempt in that window is refused. */
  limit: number;
  windowMs: number;
  /** Keys tracked at most; beyond it the key whose window opened first is dropped. */
  maxKeys: number;
  now: () => number;
}

export const ATTEMPT_LIMITER_DEFAULTS = {
  limit: 10,
  windowMs: 60_000,
  maxKeys: 10_000,
  now: Date.now,
} satisfies AttemptLimiterOptions;

interface Window {
  openedAt: number;
  failures: number;
}

export class AttemptLimiter {
  readonly #options: AttemptLimiterOptions;
  /** In the order the windows opened (a key is re-inserted when its window reopens), so expired ones lead. */
  readonly #windows = new Map<string, Window>();

  constructor(options: Partial<AttemptLimiterOptions> = {}) {
    this.#options = { ...ATTEMPT_LIMITER_DEFAULTS, ...options };
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const { limit, windowMs, now } = this.#options;
    const window = this.#windows.get(key);
    if (!window || window.failures < limit) return 0;
    return Math.max(0, window.openedAt + windowMs - now());
  }

  /** Counts a failed attempt by `key`, opening a window for it if it has none running. */
  fail(key: string): void {
    const { windowMs, maxKeys, now } = this.#options;
    const at = now();
    for (const [k, w] of this.#windows) {
      if (at - w.openedAt < windowMs) break;
      this.#windows.delete(k);
    }
    const window = this.#windows.get(key);
    if (window && at - window.openedAt < windowMs) {
      window.failures += 1;
      return;
    }
    this.#windows.delete(key);
    if (this.#windows.size >= maxKeys) {
      const oldest = this.#windows.keys().next();
      if (!oldest.done) this.#windows.delete(oldest.value);
    }
    this.#windows.set(key, { openedAt: at, failures: 1 });
  }

  /** How many keys are tracked (for tests of the memory bound). */
  get size(): number {
    return this.#windows.size;
  }
}

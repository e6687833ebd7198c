/**
 * Requests in flight when the store asks to slow down (429, 503 SlowDown): halved, at most once a
 * second (a burst of throttled answers is one signal), and back up by one for each request that gets
 * through, up to `max`: additive increase, multiplicative decrease, as TCP and the AWS SDKs' adaptive
 * retry mode do. Requests already in flight keep their slots; no new one starts above the limit.
 */
import type { Clock } from './clock.ts';
import type { FairScheduler } from './fair-scheduler.ts';

/** A burst of throttled answers within this is one signal to slow down. */
export const THROTTLE_CUT_EVERY_MS = 1000;

export class ThrottlePacer {
  readonly #scheduler: FairScheduler;
  readonly #max: number;
  readonly #clock: Clock;
  #lastCut = -Infinity;

  constructor(scheduler: FairScheduler, max: number, clock: Clock) {
    this.#scheduler = scheduler;
    this.#max = max;
    this.#clock = clock;
  }

  /** The store asked to slow down. */
  throttled(): void {
    const now = this.#clock.now();
    if (now - this.#lastCut < THROTTLE_CUT_EVERY_MS) return;
    this.#lastCut = now;
    this.#scheduler.setLimit(Math.max(1, Math.floor(this.#scheduler.limit / 2)));
  }

  /** A request got through. */
  through(): void {
    if (this.#scheduler.limit < this.#max) this.#scheduler.setLimit(this.#scheduler.limit + 1);
  }
}

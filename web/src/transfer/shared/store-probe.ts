/**
 * Whether the store is down for the Hoist server too, asked when requests to it get no answer: a
 * store that is down for everyone (stopped, restarting, hung) is waited for, spending no retry; one
 * only this browser cannot reach is the request's failure, retried as before. One question at a time
 * for every request that asks (the server answers from one HeadBucket a second anyway).
 */
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import type { Clock } from './clock.ts';
import { abortable } from './signals.ts';
import type { StoreReachability } from '../../../../server/shared/api-types.ts';

/**
 * Between questions whether the store is back: soon at first, then every 5 s at most (tus-js-client's
 * and Uppy's last retry delay). A question is one small call to the Hoist server, which answers from
 * one HeadBucket a second: asking often costs nothing, and the transfers go on soon after the store does.
 */
const WAIT_MIN_MS = 500;
const WAIT_BACKOFF = { baseMs: 1_000, capMs: 4_500 } as const satisfies BackoffOptions;

/** What the store answered the Hoist server when it refused (the bucket deleted, the key deactivated…). */
export type StoreProblem = NonNullable<StoreReachability['problem']>;

/** The server's answer (GET /api/health/store): reachable or not, and what a store that refused said. */
export type StoreAnswer = Pick<StoreReachability, 'reachable'> & Partial<Pick<StoreReachability, 'problem'>>;

/**
 * What `check` found: the server's answer (`answered`), or, when the question failed, nothing known
 * against the store (reachable, no problem) and `failure`, what the question failed with: an
 * unreachable Hoist server (restarting: waited for by the caller), a lost session…
 */
export interface StoreCheck extends StoreAnswer {
  answered: boolean;
  failure?: unknown;
}

type Ask = (o: { signal?: AbortSignal }) => Promise<boolean | StoreAnswer>;

/** No way to ask: not down, nothing known against it. */
const NOTHING_KNOWN: StoreCheck = { reachable: true, problem: null, answered: false };

export class StoreProbe {
  readonly #ask: Ask | undefined;
  readonly #signal: AbortSignal | undefined;
  #pending: Promise<StoreAnswer> | null = null;

  /** `ask`: the server's answer (absent: never down); `signal` ends the questions for good. */
  constructor(ask: Ask | undefined, signal?: AbortSignal) {
    this.#ask = ask;
    this.#signal = signal;
  }

  /**
   * Whether the Hoist server reaches the store, and what the store said if it refused; a server
   * that cannot say counts as reachable with nothing known, and what the question failed with is
   * passed on (`failure`).
   */
  async check(signal: AbortSignal): Promise<StoreCheck> {
    const ask = this.#ask;
    if (!ask) return NOTHING_KNOWN;
    this.#pending ??= ask({ signal: this.#signal })
      .then((answer) => (typeof answer === 'boolean' ? { reachable: answer, problem: null } : answer))
      .finally(() => (this.#pending = null));
    try {
      return { ...(await abortable(this.#pending, signal)), answered: true };
    } catch (error) {
      if (signal.aborted) throw error;
      return { ...NOTHING_KNOWN, failure: error };
    }
  }

  /** True when the Hoist server cannot reach the store either; a server that cannot say counts as no. */
  async down(signal: AbortSignal): Promise<boolean> {
    return !(await this.check(signal)).reachable;
  }

  /** Asks again, a few seconds apart (at most 5 s), until the store answers the Hoist server. */
  async untilUp(clock: Clock, random: () => number, signal: AbortSignal): Promise<void> {
    for (let tries = 1; ; tries++) {
      await clock.sleep(WAIT_MIN_MS + backoffDelay(tries, WAIT_BACKOFF, random), { signal });
      if (!(await this.down(signal))) return;
    }
  }
}

/**
 * The wait for a Hoist server that cannot be reached (restarting, or behind a proxy that says 502-504),
 * shared by both engines: no retry is spent meanwhile, for up to `serverWaitMs`, and the transfer goes
 * on soon after the server answers again.
 */
import { isServerUnreachable } from './api-error.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import type { Clock } from './clock.ts';

/**
 * Between tries while the Hoist server cannot be reached: 5 s at most (tus-js-client's and Uppy's last
 * retry delay), so the transfer goes on soon after the server is back.
 */
const SERVER_WAIT_BACKOFF = { baseMs: 500, capMs: 5_000 } as const satisfies BackoffOptions;

/** How long an unreachable server is waited for before its failures count as retries again. */
export const DEFAULT_SERVER_WAIT_MS = 5 * 60_000;

export interface ServerWaitConfig {
  clock: Clock;
  /** How long an unreachable server is waited for, spending no retries (then they count again). */
  serverWaitMs: number;
  random: () => number;
}

export interface ServerWait {
  shouldWait(error: unknown): boolean;
  sleep(signal: AbortSignal | undefined): Promise<void>;
  reset(): void;
}

/**
 * One call site's wait for an unreachable Hoist server: `shouldWait` while it has been unreachable
 * for less than `serverWaitMs` (then failures count as retries again); `reset` once it answers.
 */
export function serverWait(config: ServerWaitConfig): ServerWait {
  const { clock, serverWaitMs, random } = config;
  let since: number | null = null;
  let tries = 0;
  return {
    shouldWait: (error: unknown): boolean => {
      if (!isServerUnreachable(error)) return false;
      since ??= clock.now();
      return clock.now() - since < serverWaitMs;
    },
    sleep: (signal: AbortSignal | undefined) =>
      clock.sleep(backoffDelay(++tries, SERVER_WAIT_BACKOFF, random), { signal }),
    reset: () => {
      since = null;
      tries = 0;
    },
  };
}

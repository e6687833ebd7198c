import { isServerUnreachable } from '../transfer/shared/api-error.ts';
import { systemClock } from '../transfer/shared/clock.ts';

/**
 * A one-off call a user asked for (Details, Share, a Download button, a listing), safe to send again,
 * is tried this many times more while the Hoist server is unreachable: restarting, or a load balancer
 * answering 502/503/504 as it moves off an instance that stopped. An answer (404, 403…) is not.
 * Transfers have their own waiting (they wait for the server as long as it takes).
 */
export const UNREACHABLE_RETRIES = 3;

/** Before each retry: 0.5, 1, then 2 s (about 3.5 s in all, a restart's usual gap). */
export function unreachableDelayMs(attempt: number): number {
  return 500 * 2 ** attempt;
}

/** TanStack Query's `retry` for such calls: `failureCount` tries failed so far. */
export function retryWhileUnreachable(failureCount: number, error: Error): boolean {
  return failureCount < UNREACHABLE_RETRIES && isServerUnreachable(error);
}

/** The same for a call made outside a query or mutation; an abort ends the waiting. */
export async function againWhileUnreachable<T>(
  call: () => Promise<T>,
  o: { signal?: AbortSignal; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
): Promise<T> {
  const sleep = o.sleep ?? ((ms: number, signal?: AbortSignal) => systemClock.sleep(ms, { signal }));
  for (let failures = 0; ; failures++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Error) || !retryWhileUnreachable(failures, error)) throw error;
      await sleep(unreachableDelayMs(failures), o.signal);
    }
  }
}

/**
 * How the upload engine waits out failures of the Hoist server's API: retried per the policy
 * (retry-policy.ts), offline time, a restarting server and a store that is down not counted as tries.
 */
import { backoffDelay } from '../shared/backoff.ts';
import { waitUntilOnline } from '../shared/online.ts';
import { shouldRetry } from '../shared/retry-policy.ts';
import { childController, isAbortError } from '../shared/signals.ts';
import { STALL_MS } from '../shared/throughput.ts';
import type { StoreProbe } from '../shared/store-probe.ts';
import { ApiError, isSignedOut, isTimedOut } from '../shared/api-error.ts';
import { serverWait } from '../shared/server-wait.ts';
import { waitForSignIn } from '../shared/session.ts';
import { isStoreUnreachable } from './upload-api.ts';
import type { UploadConfig } from './upload-options.ts';
import type { UploadWaiting } from './upload-state.ts';

/** Said of a call that got no answer in time while the store is down for the Hoist server too. */
export const STORE_HANGS_MESSAGE =
  'The object store does not answer the Hoist server (stopped or hung); waiting for it to answer again.';

/** For the store's wait when the call has no signal of its own (its retries then never stop early). */
const NEVER_ABORTED = new AbortController().signal;

export type RetryConfig = Pick<
  UploadConfig,
  'online' | 'maxRetries' | 'backoff' | 'random' | 'clock' | 'serverWaitMs' | 'session'
>;

export interface RetryOptions {
  signal?: AbortSignal;
  forever?: boolean;
  waitForServer?: boolean;
  /**
   * The page's question whether the store is down for the Hoist server too: a call the server answers
   * 503 store-unreachable is then waited for until the store is back, spending no retry.
   */
  store?: StoreProbe;
  /** Shows "Waiting for the connection…" / "…the Hoist server…" / "…the storage…" meanwhile (null: answered). */
  showWaiting?: (waiting: UploadWaiting | null) => void;
  onError?: (error: unknown) => void;
}

/**
 * A call still unanswered after STALL_MS asks whether the store answers the Hoist server, and while it
 * does not, the row says it waits for the storage: a create the server holds while the store hangs
 * said only "Queued" until the page's deadline (a minute). The call itself goes on untouched (a create
 * already sent must be known), and whatever it ends with is handled as before.
 */
async function whileUnanswered<T>(pending: Promise<T>, config: RetryConfig, o: RetryOptions): Promise<T> {
  const { store, showWaiting } = o;
  if (!store || !showWaiting || o.waitForServer === false) return pending;
  const watch = childController(o.signal);
  let shown = false;
  const watching = (async () => {
    const signal = watch.controller.signal;
    for (;;) {
      await config.clock.sleep(STALL_MS, { signal });
      if (!(await store.down(signal))) continue;
      shown = true;
      showWaiting('store');
      await store.untilUp(config.clock, config.random, signal);
      shown = false;
      showWaiting(null);
    }
  })();
  watching.catch(() => undefined); // ends only by the abort below (or the caller's signal)
  try {
    return await pending;
  } finally {
    watch.dispose();
    // Said no longer: whatever the call ended with says what comes next.
    if (shown) showWaiting(null);
  }
}

/**
 * API calls: retried per the policy; offline waits do not count, nor do a server that cannot be
 * reached, a store it cannot reach (when `store` says so) and a lost session (until signed in again). `forever` ignores maxRetries.
 * `waitForServer: false` (a click waiting on the answer) waits out neither.
 */
export async function callWithRetry<T>(
  config: RetryConfig,
  call: () => Promise<T>,
  o: RetryOptions,
): Promise<T> {
  const { online, maxRetries, backoff, random, clock } = config;
  let attempt = 0;
  const server = serverWait(config);
  for (;;) {
    try {
      const answer = await whileUnanswered(call(), config, o);
      o.showWaiting?.(null);
      return answer;
    } catch (error) {
      if (o.signal?.aborted) throw o.signal.reason;
      if (isAbortError(error)) throw error;
      if (!online.isOnline()) {
        o.onError?.(error);
        o.showWaiting?.('connection');
        await waitUntilOnline(online, { signal: o.signal });
        continue;
      }
      if (o.waitForServer !== false && isSignedOut(error)) {
        // The session is lost (expired, or the access token changed): held, no retry spent, until
        // the page is signed in again; then asked again as it was.
        o.onError?.(error);
        await waitForSignIn(config.session, (waiting) => o.showWaiting?.(waiting ? 'sign-in' : null), {
          signal: o.signal,
        });
        continue;
      }
      if (o.waitForServer !== false && o.store && isTimedOut(error)) {
        // No answer in time: the Hoist server may be waiting on a store that hangs. If the store is down
        // for it too, that is what is waited for and said, not the user's connection.
        const signal = o.signal ?? NEVER_ABORTED;
        if (await o.store.down(signal)) {
          o.onError?.(new ApiError('store-unreachable', 0, STORE_HANGS_MESSAGE, { cause: error }));
          o.showWaiting?.('store');
          await o.store.untilUp(clock, random, signal);
          o.showWaiting?.(null);
          continue;
        }
      }
      if (o.waitForServer !== false && server.shouldWait(error)) {
        o.onError?.(error);
        o.showWaiting?.('server');
        await server.sleep(o.signal);
        continue;
      }
      if (o.waitForServer !== false && o.store && isStoreUnreachable(error)) {
        // The server answered that the store does not (stopped, restarting): as parts do, waited for
        // while the store is down for the server too, then asked again with no retry spent.
        const signal = o.signal ?? NEVER_ABORTED;
        if (await o.store.down(signal)) {
          o.onError?.(error);
          o.showWaiting?.('store');
          await o.store.untilUp(clock, random, signal);
          o.showWaiting?.(null);
          continue;
        }
      }
      attempt++;
      const decision = shouldRetry(error, o.forever ? 1 : attempt, maxRetries);
      if (!decision.retry) throw error;
      o.onError?.(error);
      // At least as long as the server's Retry-After asks (a 429 from its token guard, or a proxy's).
      const retryAfter = error instanceof ApiError ? (error.retryAfterMs ?? 0) : 0;
      await clock.sleep(Math.max(backoffDelay(attempt, backoff, random), retryAfter), { signal: o.signal });
    }
  }
}

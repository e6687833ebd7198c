/**
 * Sends one file's parts: PUTs to presigned URLs, each holding a slot of the page-wide fair scheduler,
 * retried per the policy (retry-policy.ts), with offline time and a restarting server not counted as
 * tries. One PartSender per page: it also measures the uplink and paces how many parts share it
 * (link-pacing.ts), and gives a part that makes no progress up as stalled.
 */
import type { SignedPart, UploadPlan } from '../../../../server/shared/api-types.ts';
import { backoffDelay } from '../shared/backoff.ts';
import { THROTTLE_CUT_EVERY_MS } from '../shared/throttle-pacer.ts';
import { FairScheduler } from '../shared/fair-scheduler.ts';
import { waitUntilOnline } from '../shared/online.ts';
import { shouldRetry } from '../shared/retry-policy.ts';
import { abortError, childController, isAbortError } from '../shared/signals.ts';
import type { StoreProbe } from '../shared/store-probe.ts';
import { toErrorInfo } from '../shared/transfer-error.ts';
import { isSignedOut } from '../shared/api-error.ts';
import { serverWait } from '../shared/server-wait.ts';
import { waitForSignIn } from '../shared/session.ts';
import { saveJournal } from './journal-sync.ts';
import {
  LINK_SAMPLE_MIN_BYTES,
  linkRateAfterStall,
  nextLinkRate,
  partDeadlineMs,
  partSlots,
} from './link-pacing.ts';
import { fileBytes, partRange } from './part-range.ts';
import { partChecksum, prefetchUrls, signedUrl } from './part-signing.ts';
import { advance, partDone, partDropped, partRetrying, partShown, partStarted } from './sending-estimate.ts';
import { ApiError } from './upload-api.ts';
import type { UploadContext } from './upload-context.ts';
import type { UploadEntry } from './upload-entry.ts';
import { fileUnreadable, UploadError } from './upload-error.ts';
import { expiredOnTheWay, linksTooShort } from './links-too-short.ts';

export type PartSenderContext = Pick<
  UploadContext,
  'config' | 'destroyed' | 'dispatch' | 'showWaiting' | 'sending' | 'store'
>;

/**
 * A part this many times past its expected time (plus the grace) is overdue: is the store still there?
 * With the server's 5 s for the store to answer, a store that hung is waited for about 15 s after it
 * hung at 10 MiB/s (six 5 MiB parts sharing it: 3 s each, asked at 11 s).
 */
const OVERDUE_FACTOR = 2;
const OVERDUE_GRACE_MS = 5_000;

/**
 * How often a part in flight asks whether the store still answers: its expected time on the measured
 * link (its share of it), `OVERDUE_FACTOR` times, plus `OVERDUE_GRACE_MS`; null before the link is measured.
 */
export function overdueCheckMs(size: number, linkBytesPerSecond: number, sharing: number): number | null {
  if (!(linkBytesPerSecond > 0)) return null;
  const expectedMs = (size / (linkBytesPerSecond / Math.max(1, sharing))) * 1000;
  return Math.ceil(OVERDUE_FACTOR * expectedMs + OVERDUE_GRACE_MS);
}

/** A part request that got no answer at all: no connection to the store, or one that stalled. */
function gotNoAnswer(error: unknown): boolean {
  return error instanceof UploadError && (error.code === 'network' || error.code === 'stalled');
}

/** A part's hold on one of the page's part slots (FairScheduler). */
interface PartSlot {
  /** Gives the slot back (idempotent). */
  release(): void;
  /** Gives it back if held, and waits for one again. */
  reacquire(o: { signal: AbortSignal }): Promise<void>;
}

export class PartSender {
  readonly #ctx: PartSenderContext;
  readonly #config: PartSenderContext['config'];
  /** Part requests in flight across all files, shared fairly between them. */
  readonly #scheduler: FairScheduler;
  /** The uplink's rate as parts measured it (link-pacing.ts), bytes/s; 0 until a big part is sent. */
  #linkRate = 0;
  /** Size of the last part that measured the link: the parts the pacing is for. */
  #linkPartBytes = 0;
  /** Parts in flight at most since the last stalls: halved on a stall, one more per part sent. */
  #stallCap: number;
  /** When throttling last cut the parts in flight (see THROTTLE_CUT_EVERY_MS). */
  #throttleCutAt = -Infinity;
  /** A part has gone through on this page: the slow start (link-pacing.ts `partSlots`) is over. */
  #partSent = false;
  /** Whether the store is down for the Hoist server too (asked when parts get no answer): the page's. */
  readonly #store: StoreProbe;

  constructor(ctx: PartSenderContext) {
    this.#ctx = ctx;
    this.#config = ctx.config;
    this.#stallCap = ctx.config.concurrency;
    this.#scheduler = new FairScheduler(this.#slots());
    this.#store = ctx.store;
  }

  /** Sends the parts S3 does not have yet (`entry.parts`), a fair share of the page's part requests at a time. */
  async send(entry: UploadEntry, plan: UploadPlan, { signal }: { signal: AbortSignal }): Promise<void> {
    const pending: number[] = [];
    for (let n = 1; n <= plan.partCount; n++) if (!entry.parts.has(n)) pending.push(n);
    if (pending.length === 0) return;
    signal.throwIfAborted(); // paused or cancelled meanwhile: the row is not told it hashes
    const now = this.#config.clock.now();
    this.#ctx.dispatch(entry.id, { type: 'status', status: entry.parts.size ? 'uploading' : 'hashing', now });
    // Aborted on the first part that fails for good, so its siblings stop too.
    const file = childController(signal);
    const tasks = new Set<Promise<void>>();
    let failure: { error: unknown } | null = null;
    // Slow start: one part in flight until S3 confirms one, then all of them. On a slow link the first
    // progress then comes after one part's time, not after six parts sharing the link; once a part has
    // gone through, the link works and a gentler ramp would only leave it idle. (Across files, the
    // page's slots do the same until the first part of any file is through: `#slots`.)
    let allowed = 1;
    let running = 0;
    let wake: (() => void) | null = null;
    try {
      while (pending.length > 0 && !file.controller.signal.aborted) {
        if (running >= allowed) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const slot = await this.#slot(entry.id, file.controller.signal);
        const partNumber = pending.shift()!;
        running++;
        const task: Promise<void> = this.#sendPart(entry, plan, partNumber, slot, file.controller.signal)
          .then(() => {
            allowed = this.#config.concurrency;
          })
          .catch((error: unknown) => {
            if (failure || file.controller.signal.aborted) return;
            failure = { error };
            file.controller.abort(abortError('a part failed'));
          })
          .finally(() => {
            running--;
            slot.release();
            tasks.delete(task);
            wake?.();
            wake = null;
          });
        tasks.add(task);
      }
    } catch {
      // acquire() aborted: the run or a part failed; handled below.
    }
    await Promise.all(tasks);
    file.dispose();
    signal.throwIfAborted();
    if (failure) throw (failure as { error: unknown }).error;
  }

  /** One of the page's part slots, which a part gives back while it waits to be tried again. */
  async #slot(owner: string, signal: AbortSignal): Promise<PartSlot> {
    let release = await this.#scheduler.acquire(owner, { signal });
    return {
      release: () => release(),
      reacquire: async (o) => {
        release();
        release = await this.#scheduler.acquire(owner, o);
      },
    };
  }

  async #sendPart(
    entry: UploadEntry,
    plan: UploadPlan,
    partNumber: number,
    slot: PartSlot,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await this.#sendPartTries(entry, plan, partNumber, slot, signal);
    } catch (error) {
      // Aborted, or failed for good: what its attempts showed goes (S3 has none of it).
      const { clock } = this.#config;
      this.#ctx.sending.change((s) => partDropped(s, entry.id, partNumber, clock.now()), entry.id);
      throw error;
    }
  }

  async #sendPartTries(
    entry: UploadEntry,
    plan: UploadPlan,
    partNumber: number,
    slot: PartSlot,
    signal: AbortSignal,
  ): Promise<void> {
    const { start, end, size } = partRange(plan, partNumber);
    const { online, maxRetries, backoff, random, clock } = this.#config;
    let attempt = 0;
    const server = serverWait(this.#config);
    // The PUTs in flight beside this one's latest attempt, and when it began (see link-pacing.ts).
    let sharing = 1;
    let startedAt = clock.now();
    /** The URL of the latest PUT (null: it failed before one was sent), and how many ran out on the way. */
    let sentWith: SignedPart | null = null;
    let expiredOnWay = 0;
    for (;;) {
      signal.throwIfAborted();
      sentWith = null;
      try {
        const checksum = await partChecksum(this.#config, entry, plan, partNumber, { signal });
        const signed = await signedUrl(this.#config, entry, plan, partNumber, { signal });
        server.reset();
        this.#ctx.showWaiting(entry, null);
        if (!entry.putStarted) {
          entry.putStarted = true;
          this.#ctx.dispatch(entry.id, { type: 'status', status: 'uploading', now: clock.now() });
        }
        entry.inFlight.add(partNumber);
        this.#ctx.sending.change((s) => partStarted(s, entry.id, partNumber, size, clock.now()));
        prefetchUrls(this.#config, entry, plan, { signal });
        let etag: string | null = null;
        sharing = this.#scheduler.active;
        startedAt = clock.now();
        sentWith = signed;
        try {
          ({ etag } = await this.#put(
            signed,
            fileBytes(entry.input.file, start, end),
            size,
            sharing,
            signal,
          ));
        } catch (error) {
          // The transport knows the bytes, not the file: the row names it, as a failed hash does.
          if (error instanceof UploadError && error.code === 'file-unreadable')
            throw fileUnreadable(entry.input.file.name, error.cause);
          throw error;
        } finally {
          entry.inFlight.delete(partNumber);
          // Held while it waits to be tried again; dropped by #sendPart if it is not.
          if (etag === null)
            this.#ctx.sending.change((s) => partRetrying(s, entry.id, partNumber, clock.now()), entry.id);
        }
        entry.urls.delete(partNumber);
        entry.parts.set(partNumber, { partNumber, etag, size, checksum });
        const at = clock.now();
        // What its estimate showed gives way to its size: the bar, and the speed, move by the rest.
        let shown = 0;
        this.#ctx.sending.change((s) => {
          const advanced = advance(s, at);
          shown = partShown(advanced, entry.id, partNumber);
          return partDone(advanced, entry.id, partNumber, at);
        });
        this.#ctx.dispatch(entry.id, { type: 'part-done', size, shown, partSize: plan.partSize, now: at });
        if (!online.isOnline()) this.#ctx.showWaiting(entry, 'connection');
        this.#ctx.sending.show(entry.id);
        this.#linkRate = nextLinkRate(this.#linkRate, size, sharing, at - startedAt);
        if (size >= LINK_SAMPLE_MIN_BYTES) this.#linkPartBytes = size;
        this.#partSent = true;
        this.#pace(+1);
        if (plan.kind === 'multipart') saveJournal(this.#config, entry);
        return;
      } catch (error) {
        // When it failed, before any question below (the store's can take seconds): did its link run out?
        const failedAt = clock.now();
        if (signal.aborted || isAbortError(error)) throw error;
        if (!online.isOnline()) {
          // Offline: not the part's fault; wait without spending a retry, then sign afresh.
          entry.urls.delete(partNumber);
          this.#ctx.showWaiting(entry, 'connection');
          await waitUntilOnline(online, { signal });
          this.#ctx.showWaiting(entry, null);
          continue;
        }
        if (isSignedOut(error)) {
          // Signing the part was refused 401 (the session is lost): held, parts kept and no retry
          // spent, until the page is signed in again.
          await waitForSignIn(
            this.#config.session,
            (waiting) => this.#ctx.showWaiting(entry, waiting ? 'sign-in' : null),
            { signal },
          );
          continue;
        }
        if (server.shouldWait(error)) {
          this.#ctx.showWaiting(entry, 'server');
          await server.sleep(signal);
          continue;
        }
        const store = gotNoAnswer(error) ? await this.#store.check(signal) : null;
        if (store && !store.reachable) {
          // Down for the Hoist server too (stopped, restarting, hung): not this part's fault, and no
          // retry spent or link slowed for it. Waited for, then sent again with a fresh URL.
          entry.urls.delete(partNumber);
          this.#ctx.showWaiting(entry, 'store');
          await this.#store.untilUp(clock, random, signal);
          this.#ctx.showWaiting(entry, null);
          continue;
        }
        // The store answers the server with an error (the bucket deleted, the key deactivated): the
        // PUT's answer had no CORS headers, so it read as none. That is why it failed: said as such.
        if (store?.problem)
          throw new ApiError(store.problem.code, 502, store.problem.message, { cause: error });
        if (error instanceof UploadError && error.code === 'stalled') {
          // The link carries less than thought: fewer parts share it from now on, this retry included.
          this.#linkRate = linkRateAfterStall(this.#linkRate, size, sharing, clock.now() - startedAt);
          this.#pace(-1);
        }
        // The store asks for fewer requests (429, 503 SlowDown): half as many parts at once, growing
        // back by one per part sent, as the AWS SDKs' adaptive retry mode slows its sending rate.
        if (error instanceof UploadError && error.code === 'throttled') {
          // Parts in flight together get throttled together: one cut per burst, not one per answer.
          const now = clock.now();
          if (now - this.#throttleCutAt >= THROTTLE_CUT_EVERY_MS) {
            this.#throttleCutAt = now;
            this.#pace(-1);
          }
        }
        attempt++;
        if (sentWith && expiredOnTheWay(error, sentWith, { sentAt: startedAt, failedAt })) expiredOnWay++;
        const decision = shouldRetry(error, attempt, maxRetries);
        if (!decision.retry) {
          // Every attempt's link ran out before the part got there: signing again cannot help.
          if (sentWith && expiredOnWay === attempt) throw linksTooShort(partNumber, sentWith, attempt, error);
          throw error;
        }
        if (decision.resign) entry.urls.delete(partNumber);
        if (decision.rehash) entry.checksums.delete(partNumber);
        const { message } = toErrorInfo(error);
        this.#ctx.dispatch(entry.id, { type: 'retrying', attempt, of: maxRetries, message });
        // Its wait holds no slot: another file's part goes meanwhile, and a limit lowered since
        // (stalled, throttled) holds this retry back too, not only parts not yet begun.
        slot.release();
        await clock.sleep(backoffDelay(attempt, backoff, random), { signal });
        await slot.reacquire({ signal });
      }
    }
  }

  /**
   * Parts in flight after a part was sent (+1) or stalled (-1): what the measured link carries
   * (link-pacing.ts), and never more than half as many as when the last stall came, growing back by
   * one per part sent (as TCP backs off), for a link that got slower since it was measured.
   */
  #pace(change: 1 | -1): void {
    const { concurrency } = this.#config;
    this.#stallCap =
      change < 0
        ? Math.max(1, Math.floor(this.#scheduler.limit / 2))
        : Math.min(concurrency, this.#stallCap + 1);
    this.#scheduler.setLimit(this.#slots());
  }

  /** The page's part slots now: one until a part has gone through (slow start), then paced. */
  #slots(): number {
    return partSlots({
      partSent: this.#partSent,
      linkBytesPerSecond: this.#linkRate,
      partBytes: this.#linkPartBytes,
      concurrency: this.#config.concurrency,
      stallCap: this.#stallCap,
    });
  }

  /** One PUT with a stall timeout for its share of the link, `sharing` PUTs in flight (link-pacing.ts). */
  async #put(
    signed: SignedPart,
    body: Blob,
    size: number,
    sharing: number,
    signal: AbortSignal,
  ): Promise<{ etag: string }> {
    const { clock, stallTimeoutMs, minBytesPerSecond, transport } = this.#config;
    const request = childController(signal);
    const startedAt = clock.now();
    const deadline = (inFlight: number) =>
      partDeadlineMs(size, {
        linkBytesPerSecond: this.#linkRate,
        inFlight,
        stallTimeoutMs,
        minBytesPerSecond,
      });
    const watch = async () => {
      let timeoutMs = deadline(sharing);
      for (;;) {
        await clock.sleep(startedAt + timeoutMs - clock.now(), { signal: request.controller.signal });
        // Parts that joined since it started (files added later) took their share of the link: its
        // deadline stretches for them before it counts as stalled.
        const later = deadline(Math.max(sharing, this.#scheduler.active));
        if (later <= timeoutMs) break;
        timeoutMs = later;
      }
      request.controller.abort(
        new UploadError(
          'stalled',
          `Part ${signed.partNumber} was not through after ${Math.round(timeoutMs / 1000)} s: the connection seems stalled.`,
        ),
      );
    };
    // Long before that deadline: a part well past its expected time asks whether the store still
    // answers the Hoist server. A store that stopped (or hangs) is then waited for at once, rather
    // than after minutes of a bar that looks as if it were moving.
    const overdue = async () => {
      const every = overdueCheckMs(size, this.#linkRate, sharing);
      if (every === null) return;
      for (;;) {
        await clock.sleep(every, { signal: request.controller.signal });
        if (await this.#store.down(request.controller.signal)) {
          request.controller.abort(
            new UploadError(
              'stalled',
              `Part ${signed.partNumber} got no answer, and the storage does not answer the Hoist server either.`,
            ),
          );
          return;
        }
      }
    };
    watch().catch(() => {});
    overdue().catch(() => {});
    try {
      return await transport.put(signed, body, { signal: request.controller.signal });
    } catch (error) {
      const reason: unknown = request.controller.signal.reason;
      // The file gone is the answer, whatever timer fired while the transport made sure of it: a
      // retry as stalled would only slow the link's pacing and find it gone again.
      const gone = error instanceof UploadError && error.code === 'file-unreadable';
      if (!signal.aborted && !gone && reason instanceof UploadError) throw reason;
      throw error;
    } finally {
      request.dispose();
    }
  }
}

/**
 * Downloads one object into an open DestinationFile: a plain GET streamed to disk below
 * `rangeThreshold`, parallel ranged GETs (each pinned with If-Match) above it. A request that breaks
 * off is retried for the rest only, from the last byte written. Every request holds a slot of the
 * shared request scheduler, so the total number of requests in flight stays bounded across objects.
 * Verifies size and, where it can, the checksum, or else the ETag where it is an MD5 (integrity.ts);
 * returns what is left to verify after the file is committed.
 */
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import type { PartRun } from '../../../../server/shared/part-layout.ts';
import type { BackoffOptions } from '../shared/backoff.ts';
import type { Clock } from '../shared/clock.ts';
import type { ThrottlePacer } from '../shared/throttle-pacer.ts';
import type { FairScheduler } from '../shared/fair-scheduler.ts';
import { waitUntilOnline, type OnlineSource } from '../shared/online.ts';
import { childController, isAbortError } from '../shared/signals.ts';
import { isSignedOut } from '../shared/api-error.ts';
import { serverWait } from '../shared/server-wait.ts';
import { waitForSignIn, type SessionSource } from '../shared/session.ts';
import type { StoreProbe } from '../shared/store-probe.ts';
import type { DestinationFile } from './destination.ts';
import type { DownloadWaiting } from './download-state.ts';
import { DownloadError } from './errors.ts';
import { EtagHasher } from './etag-hasher.ts';
import {
  createHasher,
  digestBase64,
  evidenceOf,
  planObjectVerification,
  type ChecksumAlgorithm,
  type Evidence,
  type Verification,
  type VerificationPlan,
} from './integrity.ts';
import type { LinkHolder } from './link-holder.ts';
import { planRanges, rangeLength, type ByteRange } from './plan-ranges.ts';
import { openObject, openRange, withCorsHint, type FetchLike } from './range-transport.ts';
import { writeBody } from './read-body.ts';
import {
  finishRange,
  keptBytes,
  rangesLeft,
  restOf,
  startResumePoint,
  type ResumePoint,
  type StartedRange,
} from './resume-point.ts';
import { decideRetry } from './retry-policy.ts';
import {
  compositeChecksum,
  partCuts,
  partStartsWithin,
  wholeChecksum,
  type SegmentCrc,
} from './segment-crcs.ts';
import { SegmentHasher } from './segment-hasher.ts';

export interface ObjectDownloadOptions {
  rangeThreshold: number;
  rangeSize: number;
  rangeConcurrency: number;
  maxRetries: number;
  backoff: BackoffOptions;
  /** Received chunks are gathered into destination writes of about this size. */
  writeBufferBytes: number;
  /** A request that receives nothing for this long is aborted and retried (0: never). */
  stallTimeoutMs: number;
  /**
   * While the Hoist server cannot be reached (restarting), downloads wait this long without spending
   * retries, "Waiting for the Hoist server…" shown, then go on by themselves (as uploads do).
   */
  serverWaitMs: number;
}

export interface ObjectDownloadContext {
  /** Owner name in the request scheduler (the item id). */
  id: string;
  key: string;
  links: LinkHolder;
  file: DestinationFile;
  fetch: FetchLike;
  requests: FairScheduler;
  /** Fewer requests at once while the store asks to slow down (429, 503 SlowDown). */
  pacer?: ThrottlePacer;
  options: ObjectDownloadOptions;
  clock: Clock;
  random: () => number;
  /** The destination can read a committed file back (for ranged SHA checksums). */
  canReadBack: boolean;
  /** Bytes of the object received so far; never decreases within one call. */
  onProgress: (loaded: number) => void;
  /** A request failed and will be tried again after `delayMs`. */
  onRetry?: (error: DownloadError, failures: number) => void;
  /** Says whether the browser is online: offline, requests wait for the connection instead of failing. */
  online: OnlineSource;
  /**
   * A request starts (true) or stops (false) waiting for the connection, the Hoist server or the
   * store; calls come in pairs.
   */
  onWaiting?: (waiting: boolean, reason?: DownloadWaiting) => void;
  /**
   * Whether the store is down for the Hoist server too (asked when a request got no answer); a
   * question the server does not answer says it is away (restarting), and is waited for too.
   */
  store?: StoreProbe;
  /**
   * The page's session: a store question refused 401 says it is lost, and the request waits until it
   * is back (its link, signed by the server, can be renewed only then).
   */
  session?: SessionSource;
  /**
   * What an earlier attempt wrote into the same open file: ranges written in full are skipped, one
   * begun goes on from its last byte written. Everything written is recorded here, so a failed attempt
   * leaves behind what a Retry can go on from.
   */
  resume?: ResumePoint;
}

/** What a ranged download leaves to check in the committed file (hashes that do not combine). */
export type ReadBackCheck =
  | { kind: 'checksum'; algorithm: ChecksumAlgorithm; expected: string }
  | { kind: 'etag'; expected: string; partSize: number | null; runs?: PartRun[]; guessed: boolean };

/** `against`: what the bytes were (or could not be) compared with; null with 'unverified'. */
export type ObjectDownloadResult =
  | { verification: Verification; against: Evidence | null }
  | { verification: 'read-back'; check: ReadBackCheck };

/** What downloadWhole and downloadRanged found; downloadObject says against what. */
type Outcome = Verification | { readBack: ReadBackCheck };

/** Every check ends before the file takes its name: what was downloaded goes, and nothing else. */
function corrupt(key: string, algorithm: string): DownloadError {
  return new DownloadError(
    'corrupt',
    `The ${algorithm} checksum of the downloaded "${key}" does not match the server's; the download was discarded. Retry the download.`,
  );
}

/**
 * The ETag recomputed from the bytes against the object's: a mismatch is corruption, unless the part
 * size was only guessed (then it says nothing, and the download stays checked by size).
 */
export function matchEtag(
  key: string,
  check: { expected: string; partSize: number | null; guessed: boolean },
  actual: string,
): Verification {
  if (actual === check.expected) return 'verified';
  if (check.guessed) return 'unverifiable';
  throw corrupt(key, check.partSize === null ? 'MD5 (ETag)' : 'multipart MD5 (ETag)');
}

/** Aborts a request that has gone quiet: a dead connection otherwise hangs a download forever. */
function watchdog(ms: number, controller: AbortController, key: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (ms <= 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort(
        new DownloadError(
          'network',
          `No data arrived for "${key}" in ${Math.round(ms / 1000)} s; trying again.`,
        ),
      );
    }, ms);
  };
  arm();
  return { alive: arm, stop: () => clearTimeout(timer) };
}

/** Waits for the browser to be online again, saying so meanwhile. Rejects only when aborted. */
async function waitForConnection(ctx: ObjectDownloadContext, signal: AbortSignal): Promise<void> {
  ctx.onWaiting?.(true);
  try {
    await waitUntilOnline(ctx.online, { signal });
  } finally {
    ctx.onWaiting?.(false);
  }
}

/** Waits until the store answers the Hoist server again; the row says so meanwhile. */
async function waitForStore(
  ctx: ObjectDownloadContext,
  store: StoreProbe,
  signal: AbortSignal,
): Promise<void> {
  ctx.onWaiting?.(true, 'store');
  try {
    await store.untilUp(ctx.clock, ctx.random, signal);
  } finally {
    ctx.onWaiting?.(false, 'store');
  }
}

type Attempt = (link: DownloadLink, request: { signal: AbortSignal; alive: () => void }) => Promise<void>;

/**
 * Runs `attempt` until it succeeds, following the retry policy. Each try holds one request slot and
 * its own signal (aborted by `signal`, or by the stall watchdog, whose abort reason is a retryable
 * DownloadError). While the browser is offline nothing is sent and a failure spends no retry: the
 * request waits (its slot given back) and goes on when the connection returns, as uploads do. So does
 * a request with no answer while the store is down for the Hoist server too, or while the Hoist
 * server itself cannot be reached (restarting): the store's question gets no answer either. A try
 * that wrote bytes before failing gives the retries back (as tus-js-client does): a connection that
 * breaks now and then still gets there, one piece at a time.
 */
async function withRetries(
  ctx: ObjectDownloadContext,
  attempt: Attempt,
  signal: AbortSignal,
  written: () => number,
): Promise<void> {
  const server = serverWait({ ...ctx.options, clock: ctx.clock, random: ctx.random });
  // Said once while tries go on failing, until one gets an answer or the wait ends: no flicker.
  let waitingForServer = false;
  const serverAnswered = () => {
    if (waitingForServer) ctx.onWaiting?.(false, 'server');
    waitingForServer = false;
    server.reset();
  };
  try {
    for (let failures = 0; ;) {
      signal.throwIfAborted();
      if (!ctx.online.isOnline()) await waitForConnection(ctx, signal);
      const release = await ctx.requests.acquire(ctx.id, { signal });
      // The link is renewed if need be once a slot is free, not before: the wait can outlast it (many
      // downloads on a slow link), and one that ran out twice with no answer between failed as expired.
      try {
        await ctx.links.ensureFresh(ctx.clock.now(), { signal });
      } catch (error) {
        release();
        throw error;
      }
      const generation = ctx.links.generation;
      const link = ctx.links.link;
      const request = childController(signal);
      const dog = watchdog(ctx.options.stallTimeoutMs, request.controller, ctx.key);
      const alive = () => {
        serverAnswered();
        dog.alive();
      };
      const before = written();
      try {
        await attempt(link, { signal: request.controller.signal, alive });
        ctx.pacer?.through();
        return;
      } catch (thrown) {
        if (signal.aborted || isAbortError(thrown)) throw signal.reason ?? thrown;
        let error =
          thrown instanceof DownloadError
            ? thrown
            : new DownloadError('network', `Downloading "${ctx.key}" failed: ${String(thrown)}`, {
                cause: thrown,
              });
        // Offline: not this request's fault, so no retry is spent; the next try waits for the connection.
        if (!ctx.online.isOnline()) continue;
        const store = error.code === 'network' && ctx.store ? await ctx.store.check(signal) : null;
        // No answer, and none for the Hoist server either: the store is down (stopped, restarting,
        // hung). Waited for, spending no retry, with its slot given back meanwhile.
        if (store && !store.reachable) {
          dog.stop();
          request.dispose();
          release();
          serverAnswered();
          await waitForStore(ctx, ctx.store!, signal);
          continue;
        }
        // The question was refused 401 (the session is lost): held, no retry spent, until signed in.
        if (store && !store.answered && ctx.session && isSignedOut(store.failure)) {
          dog.stop();
          request.dispose();
          release();
          serverAnswered();
          await waitForSignIn(ctx.session, (waiting) => ctx.onWaiting?.(waiting, 'sign-in'), { signal });
          continue;
        }
        // The Hoist server does not answer the question either (restarting; with the embedded
        // store, that is down with it): waited for as uploads wait for it, spending no retry, the
        // request tried again a few seconds apart (with a store of its own it may answer meanwhile).
        if (store && !store.answered && server.shouldWait(store.failure)) {
          dog.stop();
          request.dispose();
          release();
          if (!waitingForServer) ctx.onWaiting?.(true, 'server');
          waitingForServer = true;
          await server.sleep(signal);
          continue;
        }
        // Tried again as a retry from here. The wait starts over only once something answered: a server
        // still away past serverWaitMs spends retries, as uploads do, rather than being waited out again.
        if (!store || store.answered) serverAnswered();
        else if (waitingForServer) {
          ctx.onWaiting?.(false, 'server');
          waitingForServer = false;
        }
        // The server reaches the store, yet this browser got no answer from it: maybe its CORS rules.
        if (store?.answered) error = withCorsHint(error);
        if (error.code === 'throttled') ctx.pacer?.throttled();
        if (written() > before) failures = 0;
        const decision = decideRetry(error, failures + 1, {
          maxRetries: ctx.options.maxRetries,
          backoff: ctx.options.backoff,
          random: ctx.random,
        });
        if (decision.action === 'fail') throw error;
        dog.stop();
        request.dispose();
        release();
        if (decision.action === 're-sign') {
          await ctx.links.refresh(generation, error, { signal });
        } else {
          failures++;
          ctx.onRetry?.(error, failures);
          await ctx.clock.sleep(decision.delayMs, { signal });
        }
      } finally {
        dog.stop();
        request.dispose();
        release();
      }
    }
  } finally {
    serverAnswered();
  }
}

/**
 * Downloads `range` into the file, retrying from the last byte written: a try after a break asks for
 * the rest of the range only (pinned with If-Match), and the range's checksum state, kept in `point`,
 * has seen exactly the bytes on disk. Bytes are hashed as they arrive, while the page waits for the
 * network anyway (after each write they would hold up the next one); a body that breaks off has what
 * it received written before it throws, so only a failed write leaves the checksum ahead of the file,
 * and the range then starts over. `plain`: the range is the whole object, first asked for with a
 * plain GET (its answer's ETag compared, so no CORS preflight). `reached` gets the bytes of the range
 * received so far (for progress; it can repeat bytes that a break lost before they were written).
 */
async function fetchRange(
  ctx: ObjectDownloadContext,
  point: ResumePoint,
  range: ByteRange,
  o: {
    plain: boolean;
    hasher: () => Promise<StartedRange['hasher']>;
    reached: (bytes: number) => void;
  },
  signal: AbortSignal,
): Promise<StartedRange> {
  const { size, etag } = ctx.links.link;
  const begun = async () => {
    let started = point.started.get(range.index);
    if (!started) {
      started = { written: 0, hasher: await o.hasher() };
      point.started.set(range.index, started);
    }
    return started;
  };
  await withRetries(
    ctx,
    async (link, request) => {
      const at = await begun();
      const from = at.written;
      if (from > 0 && from === rangeLength(range)) return;
      const target = { url: link.url, key: ctx.key, etag, size };
      const requestOptions = { signal: request.signal, online: ctx.online };
      const opened =
        o.plain && from === 0
          ? await openObject(ctx.fetch, target, requestOptions)
          : await openRange(ctx.fetch, { ...target, range: restOf(range, from) }, requestOptions);
      request.alive();
      ctx.links.succeeded();
      let hashed = from;
      try {
        await writeBody(
          opened.body,
          {
            file: ctx.file,
            offset: range.start + from,
            length: opened.length,
            key: ctx.key,
            writeBufferBytes: ctx.options.writeBufferBytes,
            onChunk: (chunk, received) => {
              request.alive();
              at.hasher?.update(chunk);
              hashed += chunk.byteLength;
              o.reached(from + received);
            },
            onWritten: (data) => {
              at.written += data.byteLength;
            },
          },
          { signal: request.signal },
        );
      } catch (error) {
        if (hashed !== at.written) point.started.delete(range.index);
        throw error;
      }
    },
    signal,
    () => point.started.get(range.index)?.written ?? 0,
  );
  return point.started.get(range.index)!;
}

async function downloadWhole(
  ctx: ObjectDownloadContext,
  plan: VerificationPlan,
  signal: AbortSignal,
): Promise<Outcome> {
  const { size, etag } = ctx.links.link;
  const point = ctx.resume ?? startResumePoint({ etag, size }, ctx.options.rangeSize, planKey(plan));
  const whole: ByteRange = { index: 0, start: 0, end: size - 1 };
  let high = keptBytes(point);
  if (high > 0) ctx.onProgress(high);
  const { hasher } = await fetchRange(
    ctx,
    point,
    whole,
    {
      plain: true,
      hasher: async () => {
        if (plan.kind === 'stream') return createHasher(plan.algorithm);
        if (plan.kind === 'etag') return EtagHasher.create(plan.partSize, plan.runs);
        if (plan.kind !== 'composite') return null;
        const cuts = partStartsWithin(0, size - 1, partCuts(plan.layout, size));
        return new SegmentHasher(await createHasher(plan.algorithm), 0, cuts);
      },
      reached: (bytes) => {
        // Progress never goes back, even over bytes a break lost before they were written.
        if (bytes > high) {
          high = bytes;
          ctx.onProgress(high);
        }
      },
    },
    signal,
  );
  finishRange(point, whole, null);
  if (plan.kind === 'composite' && hasher instanceof SegmentHasher) {
    return verifyComposite(
      ctx.key,
      plan,
      compositeChecksum(hasher.finish(), plan.layout, size, plan.algorithm),
    );
  }
  if (plan.kind === 'etag' && hasher instanceof EtagHasher) {
    return matchEtag(ctx.key, plan, hasher.digest());
  }
  if (
    plan.kind !== 'stream' ||
    hasher === null ||
    hasher instanceof SegmentHasher ||
    hasher instanceof EtagHasher
  ) {
    return 'unverified';
  }
  if (digestBase64(hasher) !== plan.expected) throw corrupt(ctx.key, plan.algorithm);
  return 'verified';
}

/** null: the pieces CRC'd do not make up the object (kept from an attempt with another plan). */
function verifyComposite(
  key: string,
  plan: { algorithm: string; expected: string },
  actual: string | null,
): Outcome {
  if (actual === null) return 'unverified';
  if (actual !== plan.expected) throw corrupt(key, `composite ${plan.algorithm}`);
  return 'verified';
}

async function downloadRanged(
  ctx: ObjectDownloadContext,
  plan: VerificationPlan,
  outer: AbortSignal,
): Promise<Outcome> {
  const { size, etag } = ctx.links.link;
  const all = planRanges(size, ctx.options.rangeSize);
  const point = ctx.resume ?? startResumePoint({ etag, size }, ctx.options.rangeSize, planKey(plan));
  const ranges = rangesLeft(point, all);
  // Bytes of each range counted in progress so far: a break can lose bytes received but not yet
  // written, and progress waits until the retry passes them again, so it never goes back.
  const high = all.map((r) => point.started.get(r.index)?.written ?? 0);
  let loaded = keptBytes(point);
  if (loaded > 0) ctx.onProgress(loaded);
  let next = 0;
  let firstError: unknown = undefined;
  // Where parts begin (worked out once: a list of up to 10,000 offsets for parts of uneven sizes).
  const cuts = plan.kind === 'composite' ? partCuts(plan.layout, size) : null;
  const { controller, dispose } = childController(outer);
  const signal = controller.signal;

  const worker = async () => {
    for (;;) {
      const range = ranges[next++];
      if (!range || signal.aborted) return;
      const { hasher } = await fetchRange(
        ctx,
        point,
        range,
        {
          plain: false,
          // CRC'd whole for a full-object CRC, cut where each part begins for a composite one.
          hasher: async () =>
            plan.kind === 'combine' || plan.kind === 'composite'
              ? new SegmentHasher(
                  await createHasher(plan.algorithm),
                  range.start,
                  plan.kind === 'composite' ? partStartsWithin(range.start, range.end, cuts!) : [],
                )
              : null,
          reached: (bytes) => {
            const before = high[range.index] ?? 0;
            if (bytes > before) {
              high[range.index] = bytes;
              loaded += bytes - before;
              ctx.onProgress(loaded);
            }
          },
        },
        signal,
      );
      finishRange(point, range, hasher instanceof SegmentHasher ? hasher.finish() : null);
    }
  };

  const workers = Array.from({ length: Math.min(ctx.options.rangeConcurrency, ranges.length) }, () =>
    worker().catch((error: unknown) => {
      // The first real failure stops the other ranges: never keep writing an object that failed.
      if (firstError === undefined) firstError = error;
      controller.abort();
    }),
  );
  await Promise.all(workers);
  dispose();
  outer.throwIfAborted();
  if (firstError !== undefined) throw firstError;

  // Ranges kept from an attempt without CRCs, or cut for another plan, leave a null (unverified):
  // not expected, as the plan follows from the link's checksum and a resumed attempt has the same
  // version, but a layout the server could not learn the first time would do it.
  const segments: SegmentCrc[] | null = all.every((r) => point.done.get(r.index)?.crcs)
    ? all.flatMap((r) => point.done.get(r.index)?.crcs ?? [])
    : null;
  switch (plan.kind) {
    case 'combine': {
      const actual = segments && wholeChecksum(segments, size, plan.algorithm);
      if (actual === null) return 'unverified';
      if (actual !== plan.expected) throw corrupt(ctx.key, plan.algorithm);
      return 'verified';
    }
    case 'composite':
      return verifyComposite(
        ctx.key,
        plan,
        segments && compositeChecksum(segments, plan.layout, size, plan.algorithm),
      );
    case 'read-back':
      return { readBack: { kind: 'checksum', algorithm: plan.algorithm, expected: plan.expected } };
    case 'etag': {
      const { expected, partSize, runs, guessed } = plan;
      return { readBack: { kind: 'etag', expected, partSize, ...(runs && { runs }), guessed } };
    }
    default:
      return 'unverified';
  }
}

/** How a download of `link` is checked: ranged or not, and whether its file can be read back. */
export function planDownloadCheck(
  link: DownloadLink,
  o: { rangeThreshold: number; canReadBack: boolean },
): VerificationPlan {
  return planObjectVerification(link, { ranged: link.size >= o.rangeThreshold, canReadBack: o.canReadBack });
}

/** A plan as a ResumePoint keeps it: equal keys, equal hashers (algorithm, part size, layout). */
export const planKey = (plan: VerificationPlan): string => JSON.stringify(plan);

export async function downloadObject(
  ctx: ObjectDownloadContext,
  o: { signal: AbortSignal },
): Promise<ObjectDownloadResult> {
  const ranged = ctx.links.link.size >= ctx.options.rangeThreshold;
  const plan = planDownloadCheck(ctx.links.link, { ...ctx.options, canReadBack: ctx.canReadBack });
  const outcome = await (ranged ? downloadRanged(ctx, plan, o.signal) : downloadWhole(ctx, plan, o.signal));
  if (typeof outcome === 'object') return { verification: 'read-back', check: outcome.readBack };
  const against = evidenceOf(plan);
  // Size only: say so honestly when the object has a checksum (or an MD5 ETag), just not one this
  // download can recompute.
  if (outcome === 'unverified') {
    return against
      ? { verification: 'unverifiable', against }
      : { verification: 'unverified', against: null };
  }
  return { verification: outcome, against };
}

export { corrupt as corruptError };

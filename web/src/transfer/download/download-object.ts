/**
 * Downloads one object into an open DestinationFile: a plain GET streamed to disk below
 * `rangeThreshold`, parallel ranged GETs (each pinned with If-Match, each retried alone from its
 * start) above it. Every request holds a slot of the shared request scheduler, so the total number of
 * requests in flight stays bounded across objects. Verifies size and, where it can, the checksum;
 * returns what is left to verify after the file is committed.
 */
import type { IHasher } from 'hash-wasm';
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import type { BackoffOptions } from '../shared/backoff.ts';
import type { Clock } from '../shared/clock.ts';
import type { FairScheduler } from '../shared/fair-scheduler.ts';
import { waitUntilOnline, type OnlineSource } from '../shared/online.ts';
import { childController, isAbortError } from '../shared/signals.ts';
import type { DestinationFile } from './destination.ts';
import { DownloadError } from './errors.ts';
import { createHasher, digestBase64, planVerification, type VerificationPlan } from './integrity.ts';
import type { LinkHolder } from './link-holder.ts';
import { planRanges, rangeLength } from './plan-ranges.ts';
import { openObject, openRange, type FetchLike } from './range-transport.ts';
import { writeBody } from './read-body.ts';
import { startResumePoint, keptBytes, rangesLeft, type ResumePoint } from './resume-point.ts';
import { decideRetry } from './retry-policy.ts';
import { compositeChecksum, partStartsWithin, wholeChecksum, type SegmentCrc } from './segment-crcs.ts';
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
}

export interface ObjectDownloadContext {
  /** Owner name in the request scheduler (the item id). */
  id: string;
  key: string;
  links: LinkHolder;
  file: DestinationFile;
  fetch: FetchLike;
  requests: FairScheduler;
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
  /** A request starts (true) or stops (false) waiting for the connection; calls come in pairs. */
  onWaiting?: (waiting: boolean) => void;
  /**
   * Ranged objects only: the ranges already written (by an earlier attempt into the same open file)
   * are skipped, and every range written in full is recorded here, so a failed attempt leaves behind
   * what a Retry can go on from.
   */
  resume?: ResumePoint;
}

export type ObjectDownloadResult =
  | { verification: 'verified' | 'unverified' }
  | {
      verification: 'read-back';
      algorithm: NonNullable<DownloadLink['checksum']>['algorithm'];
      expected: string;
    };

function corrupt(key: string, algorithm: string): DownloadError {
  return new DownloadError(
    'corrupt',
    `The ${algorithm} checksum of the downloaded "${key}" does not match the server's; the file was removed. Retry the download.`,
  );
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

type Attempt = (link: DownloadLink, request: { signal: AbortSignal; alive: () => void }) => Promise<void>;

/**
 * Runs `attempt` until it succeeds, following the retry policy. Each try holds one request slot and
 * its own signal (aborted by `signal`, or by the stall watchdog, whose abort reason is a retryable
 * DownloadError). While the browser is offline nothing is sent and a failure spends no retry: the
 * request waits (its slot given back) and goes on when the connection returns, as uploads do.
 */
async function withRetries(ctx: ObjectDownloadContext, attempt: Attempt, signal: AbortSignal): Promise<void> {
  for (let failures = 0; ;) {
    signal.throwIfAborted();
    if (!ctx.online.isOnline()) await waitForConnection(ctx, signal);
    await ctx.links.ensureFresh(ctx.clock.now(), { signal });
    const generation = ctx.links.generation;
    const link = ctx.links.link;
    const release = await ctx.requests.acquire(ctx.id, { signal });
    const request = childController(signal);
    const dog = watchdog(ctx.options.stallTimeoutMs, request.controller, ctx.key);
    try {
      await attempt(link, { signal: request.controller.signal, alive: dog.alive });
      return;
    } catch (thrown) {
      if (signal.aborted || isAbortError(thrown)) throw signal.reason ?? thrown;
      const error =
        thrown instanceof DownloadError
          ? thrown
          : new DownloadError('network', `Downloading "${ctx.key}" failed: ${String(thrown)}`, {
              cause: thrown,
            });
      // Offline: not this request's fault, so no retry is spent; the next try waits for the connection.
      if (!ctx.online.isOnline()) continue;
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
}

async function downloadWhole(
  ctx: ObjectDownloadContext,
  plan: VerificationPlan,
  signal: AbortSignal,
): Promise<ObjectDownloadResult> {
  const { size, etag } = ctx.links.link;
  let hasher: IHasher | null = null;
  let parts = null as SegmentHasher | null;
  let high = 0;
  await withRetries(
    ctx,
    async (link, request) => {
      // A retry starts over from byte 0 (objects here are below rangeThreshold): fresh hash.
      hasher = plan.kind === 'stream' ? await createHasher(plan.algorithm) : null;
      parts =
        plan.kind === 'composite'
          ? new SegmentHasher(
              await createHasher(plan.algorithm),
              0,
              partStartsWithin(0, size - 1, plan.layout.partSize),
            )
          : null;
      const opened = await openObject(
        ctx.fetch,
        { url: link.url, key: ctx.key, etag, size },
        { signal: request.signal, online: ctx.online },
      );
      request.alive();
      ctx.links.succeeded();
      await writeBody(
        opened.body,
        {
          file: ctx.file,
          offset: 0,
          length: opened.length,
          key: ctx.key,
          writeBufferBytes: ctx.options.writeBufferBytes,
          onChunk: (chunk, written) => {
            request.alive();
            hasher?.update(chunk);
            parts?.update(chunk);
            if (written > high) {
              high = written;
              ctx.onProgress(high);
            }
          },
        },
        { signal: request.signal },
      );
    },
    signal,
  );
  if (plan.kind === 'composite' && parts !== null) {
    const segments = parts.finish();
    return verifyComposite(ctx.key, plan, compositeChecksum(segments, plan.layout, size, plan.algorithm));
  }
  if (plan.kind !== 'stream' || hasher === null) return { verification: 'unverified' };
  if (digestBase64(hasher) !== plan.expected) throw corrupt(ctx.key, plan.algorithm);
  return { verification: 'verified' };
}

/** null: the pieces CRC'd do not make up the object (kept from an attempt with another plan). */
function verifyComposite(
  key: string,
  plan: { algorithm: string; expected: string },
  actual: string | null,
): ObjectDownloadResult {
  if (actual === null) return { verification: 'unverified' };
  if (actual !== plan.expected) throw corrupt(key, `composite ${plan.algorithm}`);
  return { verification: 'verified' };
}

async function downloadRanged(
  ctx: ObjectDownloadContext,
  plan: VerificationPlan,
  outer: AbortSignal,
): Promise<ObjectDownloadResult> {
  const { size, etag } = ctx.links.link;
  const all = planRanges(size, ctx.options.rangeSize);
  const point = ctx.resume ?? startResumePoint({ etag, size }, ctx.options.rangeSize);
  const ranges = rangesLeft(point, all);
  const high: number[] = new Array<number>(all.length).fill(0);
  let loaded = keptBytes(point);
  if (loaded > 0) ctx.onProgress(loaded);
  let next = 0;
  let firstError: unknown = undefined;
  const { controller, dispose } = childController(outer);
  const signal = controller.signal;

  const worker = async () => {
    for (;;) {
      const range = ranges[next++];
      if (!range || signal.aborted) return;
      await withRetries(
        ctx,
        async (link, request) => {
          // CRC'd whole for a full-object CRC, cut where each part begins for a composite one.
          const hasher =
            plan.kind === 'combine' || plan.kind === 'composite'
              ? new SegmentHasher(
                  await createHasher(plan.algorithm),
                  range.start,
                  plan.kind === 'composite'
                    ? partStartsWithin(range.start, range.end, plan.layout.partSize)
                    : [],
                )
              : null;
          const opened = await openRange(
            ctx.fetch,
            { url: link.url, key: ctx.key, etag, size, range },
            { signal: request.signal, online: ctx.online },
          );
          request.alive();
          ctx.links.succeeded();
          await writeBody(
            opened.body,
            {
              file: ctx.file,
              offset: range.start,
              length: opened.length,
              key: ctx.key,
              writeBufferBytes: ctx.options.writeBufferBytes,
              onChunk: (chunk, written) => {
                request.alive();
                hasher?.update(chunk);
                // A retried range starts again from its first byte: progress waits until it passes
                // what the failed try had reached, so it never goes back.
                const before = high[range.index] ?? 0;
                if (written > before) {
                  high[range.index] = written;
                  loaded += written - before;
                  ctx.onProgress(loaded);
                }
              },
            },
            { signal: request.signal },
          );
          point.done.set(range.index, { length: rangeLength(range), crcs: hasher ? hasher.finish() : null });
        },
        signal,
      );
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
      if (actual === null) return { verification: 'unverified' };
      if (actual !== plan.expected) throw corrupt(ctx.key, plan.algorithm);
      return { verification: 'verified' };
    }
    case 'composite':
      return verifyComposite(
        ctx.key,
        plan,
        segments && compositeChecksum(segments, plan.layout, size, plan.algorithm),
      );
    case 'read-back':
      return { verification: 'read-back', algorithm: plan.algorithm, expected: plan.expected };
    default:
      return { verification: 'unverified' };
  }
}

export async function downloadObject(
  ctx: ObjectDownloadContext,
  o: { signal: AbortSignal },
): Promise<ObjectDownloadResult> {
  const { size, checksum } = ctx.links.link;
  const ranged = size >= ctx.options.rangeThreshold;
  const plan = planVerification(checksum, { ranged, canReadBack: ctx.canReadBack, size });
  return ranged ? downloadRanged(ctx, plan, o.signal) : downloadWhole(ctx, plan, o.signal);
}

export { corrupt as corruptError };

/**
 * GETs against presigned URLs. `If-Match` pins the version the download started with; a ranged answer
 * must be a 206 whose Content-Range is exactly the range asked for, of an object of exactly the size
 * expected. Anything else becomes a DownloadError with a code the retry policy understands.
 *
 * CORS: the bucket must allow the `Range` and `If-Match` request headers (and expose `Content-Range`)
 * for the page's origin.
 */
import type { OnlineSource } from '../shared/online.ts';
import { retryAfterMs } from '../shared/retry-after.ts';
import { DownloadError } from './errors.ts';
import { contentRangeMatches, rangeHeader, rangeLength, type ByteRange } from './plan-ranges.ts';
import { s3ErrorOf } from '../../../../server/shared/s3-error-body.ts';

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal; mode?: RequestMode },
) => Promise<Response>;

export const defaultFetch: FetchLike = (url, init) => globalThis.fetch(url, init);

/** S3 answers with a quoted ETag; If-Match needs the same form. */
export function quoteEtag(etag: string): string {
  return etag.startsWith('"') || etag.startsWith('W/') ? etag : `"${etag}"`;
}

/** Reads at most a few KB of an error body (S3 XML) to tell an expired URL from other 403s. */
async function errorText(res: Response): Promise<string> {
  try {
    return (await res.text()).slice(0, 4096);
  } catch {
    return '';
  }
}

/** The object is another version than the one being downloaded (412 on If-Match, or another ETag). */
function changedError(key: string): DownloadError {
  return new DownloadError(
    'changed',
    `"${key}" changed on the server during the download; retry to fetch the new version.`,
    { status: 412 },
  );
}

export async function errorFromResponse(res: Response, key: string): Promise<DownloadError> {
  const status = res.status;
  const body = await errorText(res);
  const s3Code = s3ErrorOf(body).code;
  const detail = s3Code ? ` (${s3Code})` : '';
  if (status === 412) return changedError(key);
  if (status === 403) {
    // Glacier / Deep Archive: no signature or permission to fix, and no use signing again.
    if (s3Code === 'InvalidObjectState') {
      return new DownloadError(
        'http-4xx',
        `"${key}" is archived (Glacier or Deep Archive): restore it first (S3 console: Initiate restore), then Retry.`,
        { status },
      );
    }
    if (/expired/i.test(body)) {
      return new DownloadError('expired-url', `The download link for "${key}" expired.`, { status });
    }
    return new DownloadError(
      'http-403',
      `The storage refused the download of "${key}"${detail}. Check the server's clock and the bucket's permissions.`,
      { status },
    );
  }
  if (status === 404) {
    return new DownloadError('http-404', `"${key}" is no longer in the bucket.`, { status });
  }
  if (status === 429 || (status === 503 && (s3Code === '' || s3Code === 'SlowDown'))) {
    return new DownloadError('throttled', `The storage asked to slow down while downloading "${key}".`, {
      status,
      retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    });
  }
  if (status >= 500) {
    return new DownloadError('http-5xx', `The storage failed (${status}${detail}) while sending "${key}".`, {
      status,
      retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    });
  }
  return new DownloadError('http-4xx', `The storage answered ${status}${detail} for "${key}".`, { status });
}

/** `online` tells a dropped connection (the browser is offline) from a request that got no answer. */
export interface RequestOptions {
  signal?: AbortSignal;
  online?: OnlineSource;
}

/** Errors `send` threw for a request the storage never answered (the browser online), and their key. */
const unanswered = new WeakMap<DownloadError, string>();

async function send(
  fetch: FetchLike,
  url: string,
  headers: Record<string, string>,
  key: string,
  o: RequestOptions,
): Promise<Response> {
  try {
    return await fetch(url, { headers, signal: o.signal });
  } catch (error) {
    o.signal?.throwIfAborted();
    const offline = o.online !== undefined && !o.online.isOnline();
    const failure = new DownloadError(
      'network',
      offline
        ? `The connection dropped while downloading "${key}" (the browser is offline).`
        : `Couldn't reach the storage for "${key}".`,
      { status: 0, cause: error },
    );
    if (!offline) unanswered.set(failure, key);
    throw failure;
  }
}

/**
 * A request the storage never answered, said with the CORS hint: for when the Hoist server answers
 * that it reaches the store, so the browser alone was refused (an answer without the bucket's CORS
 * headers reads as none) or lost its way. Any other error is returned as it is.
 */
export function withCorsHint(error: DownloadError): DownloadError {
  const key = unanswered.get(error);
  if (key === undefined) return error;
  return new DownloadError(
    'network',
    `Couldn't reach the storage for "${key}" (the network failed, or the bucket's CORS rules don't allow this page).`,
    { status: 0, cause: error.cause },
  );
}

export interface OpenedBody {
  body: ReadableStream<Uint8Array>;
  /** Bytes the body must contain. */
  length: number;
}

function bodyOf(res: Response): ReadableStream<Uint8Array> {
  if (res.body) return res.body;
  return new Blob([]).stream();
}

/**
 * The whole object, checked against `etag`. One GET is one version, so instead of an If-Match header
 * (a non-safelisted header: a CORS preflight before every object) the answer's ETag is compared.
 */
export async function openObject(
  fetch: FetchLike,
  req: { url: string; key: string; etag: string; size: number },
  o: RequestOptions = {},
): Promise<OpenedBody> {
  const res = await send(fetch, req.url, {}, req.key, o);
  const etag = res.headers.get('etag');
  if (res.status === 200 && etag !== null && quoteEtag(etag) !== quoteEtag(req.etag)) {
    await res.body?.cancel().catch(() => {});
    throw changedError(req.key);
  }
  if (res.status !== 200) {
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new DownloadError('bad-response', `Unexpected ${res.status} answer for "${req.key}".`, {
        status: res.status,
      });
    }
    throw await errorFromResponse(res, req.key);
  }
  return { body: bodyOf(res), length: req.size };
}

/** One range of the object, pinned to `etag`. */
export async function openRange(
  fetch: FetchLike,
  req: { url: string; key: string; etag: string; size: number; range: ByteRange },
  o: RequestOptions = {},
): Promise<OpenedBody> {
  const headers = { Range: rangeHeader(req.range), 'If-Match': quoteEtag(req.etag) };
  const res = await send(fetch, req.url, headers, req.key, o);
  if (res.status !== 206) {
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new DownloadError(
        'bad-response',
        `The storage ignored the Range header for "${req.key}" (answered ${res.status}, expected 206).`,
        { status: res.status },
      );
    }
    throw await errorFromResponse(res, req.key);
  }
  const contentRange = res.headers.get('content-range');
  if (!contentRangeMatches(contentRange, req.range, req.size)) {
    await res.body?.cancel().catch(() => {});
    throw new DownloadError(
      'bad-response',
      contentRange === null
        ? `The storage sent no Content-Range for "${req.key}"; the bucket's CORS rules must expose it.`
        : `The storage sent ${contentRange} for "${req.key}" when ${rangeHeader(req.range)} of ${req.size} was asked.`,
      { status: res.status },
    );
  }
  return { body: bodyOf(res), length: rangeLength(req.range) };
}

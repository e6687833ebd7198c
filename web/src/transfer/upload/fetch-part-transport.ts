/**
 * `PartTransport` over `fetch`: PUT the Blob slice with exactly the signed headers, read the ETag,
 * and turn every failure into an `UploadError` whose code the retry policy understands.
 */
import type { SignedPart } from '../../../../server/shared/api-types.ts';
import { isStoreFull, storeFullMessage } from '../../../../server/shared/store-full.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { bytesGone, GONE_RECHECK_MS } from '../shared/file-gone.ts';
import type { PartTransport } from './part-transport.ts';
import { fileUnreadable, UploadError } from './upload-error.ts';
import { s3ErrorOf } from '../../../../server/shared/s3-error-body.ts';

export interface FetchPartTransportOptions {
  fetch?: typeof fetch;
  /** Waits before asking again whether a failed part's file is gone (file-gone.ts; tests shorten them). */
  goneRecheckMs?: readonly number[];
  /** Times those waits (the engine's clock). */
  clock?: Clock;
}

export function createFetchPartTransport(options: FetchPartTransportOptions = {}): PartTransport {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const recheckMs = options.goneRecheckMs ?? GONE_RECHECK_MS;
  const clock = options.clock ?? systemClock;
  return {
    async put(part: SignedPart, body: Blob, { signal }) {
      let response: Response;
      try {
        // 'force-cache' (a PUT is never served from the cache): in the default mode Chromium adds
        // `Cache-Control: max-age=0` to a request with If-None-Match (the single PUT's), and S3 keeps
        // a PUT's Cache-Control as the object's, so every small upload got one nobody asked for.
        response = await doFetch(part.url, {
          method: 'PUT',
          headers: part.headers,
          body,
          signal,
          cache: 'force-cache',
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        // Chromium fails the request the same way when the file changed on disk or was deleted since it
        // was picked (its checksum, hashed before, still matches the old bytes): a retry could never pass.
        if (await bytesGone(body, { clock, recheckMs, signal })) throw fileUnreadable(null, error);
        // A TypeError from fetch: offline, reset, DNS… or an S3 error answer without CORS headers
        // (an expired URL's 403 looks exactly like this), so the engine re-signs before retrying.
        throw new UploadError(
          'network',
          `${partLabel(partOf(part), true)} could not reach the storage (network error or blocked by CORS).`,
          { status: 0, cause: error },
        );
      }
      if (response.ok) {
        const etag = response.headers.get('etag');
        // Read to its end (S3's is empty), not cancelled: DevTools and HAR files showed every part
        // stored as "(canceled)", and tests watching for failed requests saw each one.
        await response.arrayBuffer().catch(() => undefined);
        if (!etag) {
          throw new UploadError(
            'missing-etag',
            'S3 did not expose the ETag header: add ETag to the bucket CORS ExposeHeaders.',
            { status: response.status },
          );
        }
        return { etag };
      }
      const text = await response.text().catch(() => '');
      throw errorFromResponse(partOf(part), response.status, text);
    },
  };
}

/** Maps an S3 error answer (status + XML body) to an UploadError. Exported for tests. */
/** The part's number, or null for a single PUT (a one-part file: its URL names no part). */
function partOf(part: SignedPart): number | null {
  return new URL(part.url).searchParams.has('partNumber') ? part.partNumber : null;
}

/** "part 3", or "the file" for a single PUT: a one-part file is one request, no "part 1" to speak of. */
function partLabel(partNumber: number | null, capital = false): string {
  const label = partNumber === null ? 'the file' : `part ${partNumber}`;
  return capital ? label[0]!.toUpperCase() + label.slice(1) : label;
}

/** `partNumber`: null for a single PUT. */
export function errorFromResponse(partNumber: number | null, status: number, body: string): UploadError {
  const { code: s3Code, message: s3Message } = s3ErrorOf(body);
  const detail = s3Code ? ` (${s3Code}${s3Message ? `: ${s3Message}` : ''})` : '';
  const options = { status, cause: body || undefined };
  if (isStoreFull(s3Code, status)) {
    return new UploadError('store-full', storeFullMessage(s3Code, 'Retry'), options);
  }
  // The temporary credentials the link was signed with ran out: S3 says so with 400 as well as 403.
  if (s3Code === 'ExpiredToken' || s3Code === 'TokenRefreshRequired') {
    return new UploadError(
      'expired-url',
      `The upload link for ${partLabel(partNumber)} expired${detail}.`,
      options,
    );
  }
  // The body came too slowly or was cut short (400): the link is fine, the bytes go again.
  if (s3Code === 'RequestTimeout' || s3Code === 'IncompleteBody') {
    return new UploadError(
      'network',
      `${partLabel(partNumber, true)} did not reach the storage whole${detail}; it will be sent again.`,
      options,
    );
  }
  if (status === 403) {
    if (/request has expired/i.test(body) || /expired/i.test(s3Message)) {
      return new UploadError('expired-url', `The upload link for ${partLabel(partNumber)} expired.`, options);
    }
    return new UploadError(
      'forbidden',
      `The storage refused ${partLabel(partNumber)}${detail}. Check the server's clock and the bucket's permissions.`,
      options,
    );
  }
  if (status === 412) {
    return new UploadError(
      'key-exists',
      'An object with this name was created while this file was uploading.',
      options,
    );
  }
  if (status === 404 && s3Code === 'NoSuchKey') {
    // A PUT `If-Match` the object the user chose to replace, which is no longer there: as a 412, the
    // file is created again, which says what is at the key now.
    return new UploadError(
      'key-exists',
      'The object this file was to replace was removed while this file was uploading.',
      options,
    );
  }
  if (status === 429 || s3Code === 'SlowDown') {
    return new UploadError('throttled', `The storage asked to slow down${detail}.`, options);
  }
  if (status >= 500) {
    return new UploadError('http-5xx', `The storage failed with ${status}${detail}.`, options);
  }
  if (
    s3Code === 'BadDigest' ||
    s3Code === 'InvalidDigest' ||
    s3Code === 'XAmzContentChecksumMismatch' ||
    /checksum.*(did not match|mismatch)/i.test(s3Message)
  ) {
    return new UploadError(
      'bad-digest',
      `${partLabel(partNumber, true)} arrived damaged (checksum mismatch); it will be sent again.`,
      options,
    );
  }
  if (status === 404 && (s3Code === 'NoSuchUpload' || s3Code === '')) {
    return new UploadError(
      'no-such-upload',
      'The storage no longer knows this upload (it was aborted or expired).',
      options,
    );
  }
  return new UploadError(
    'client-4xx',
    `The storage rejected ${partLabel(partNumber)} with ${status}${detail}.`,
    options,
  );
}

/**
 * A part whose presigned URL runs out on the way, every time it is sent: the links live shorter than a
 * part takes on this connection (HOIST_PRESIGN_TTL set too short for it). Signing again cannot help, and
 * a store that answers the expiry without CORS headers (Ceph RGW) makes it look like a network error.
 */
import type { SignedPart } from '../../../../server/shared/api-types.ts';
import { UploadError } from './upload-error.ts';

/**
 * A PUT sent with this little life left on its link, that got no answer by its expiry, may have got
 * there after it (a slow request, a latency of seconds): S3 checks the expiry when a request arrives,
 * not when its body ends, so one sent with more left was not refused for it.
 */
export const LINK_LATENCY_MS = 10_000;

/**
 * Whether a failed PUT with `url` failed because the URL expired on the way: S3 said so, or the request
 * got no readable answer (a 403 without CORS headers reads as none), was sent (`sentAt`) with at most
 * `LINK_LATENCY_MS` left on the URL, and had none left when it failed (`failedAt`), all by this browser's
 * clock, as `url.expiresAt` is. A PUT sent with minutes left and cut by the network after the expiry
 * is a network failure: raising HOIST_PRESIGN_TTL would not help it.
 */
export function expiredOnTheWay(
  error: unknown,
  url: SignedPart,
  { sentAt, failedAt }: { sentAt: number; failedAt: number },
): boolean {
  if (!(error instanceof UploadError)) return false;
  if (error.code === 'expired-url') return true;
  return error.code === 'network' && failedAt >= url.expiresAt && url.expiresAt - sentAt <= LINK_LATENCY_MS;
}

/** The final error of a part whose every attempt expired on the way (`tries` of them). */
export function linksTooShort(
  partNumber: number,
  url: SignedPart,
  tries: number,
  cause: unknown,
): UploadError {
  const seconds = Number(new URL(url.url, 'http://x').searchParams.get('X-Amz-Expires'));
  const lifetime = Number.isFinite(seconds) && seconds > 0 ? ` (they last ${seconds} s)` : '';
  return new UploadError(
    'expired-url',
    `The upload links expire before the parts arrive${lifetime}: part ${partNumber} was sent ${tries} ` +
      `times, and each time its link had expired on the way. HOIST_PRESIGN_TTL is too short for this ` +
      'connection: ask whoever runs this Hoist server to raise it.',
    { status: cause instanceof UploadError ? cause.status : undefined, cause },
  );
}

/**
 * A presigned URL's expiry by this browser's clock. The server says when it expires by its own clock,
 * and the browser's can be minutes off: 15 minutes fast, every URL looks about to expire and is signed
 * again before each use; slow, URLs expire unnoticed until a 403. Used for download links and part URLs.
 */

/** "20261202T035700Z" (SigV4's X-Amz-Date) → ms since the epoch; null when it is no such time. */
function parseAmzDate(text: string | null): number | null {
  const m = text === null ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return null;
  const [, year, month, day, hours, minutes, seconds] = m;
  const time = Date.parse(`${year}-${month}-${day}T${hours}:${minutes}:${seconds}Z`);
  return Number.isNaN(time) ? null : time;
}

/**
 * When `link` stops working, by this browser's clock. `expiresAt` is by the server's: a browser clock
 * 15 minutes fast would find every link about to expire and re-sign before every request (and one
 * slow, let links expire unnoticed). So the link's lifetime is taken from the server's own times, from
 * the signing time in its SigV4 URL (X-Amz-Date) to `expiresAt`, no longer than the URL's X-Amz-Expires,
 * and counted from `receivedAt`, when the answer arrived here (a little after it was signed: the
 * margin covers that). A URL without a signing time leaves `expiresAt` as it is.
 */
export function localExpiry(link: { url: string; expiresAt: number }, receivedAt: number): number {
  let query: URLSearchParams;
  try {
    query = new URL(link.url).searchParams;
  } catch {
    return link.expiresAt;
  }
  const signedAt = parseAmzDate(query.get('X-Amz-Date'));
  if (signedAt === null) return link.expiresAt;
  let lifetime = link.expiresAt - signedAt;
  const expires = Number(query.get('X-Amz-Expires'));
  if (Number.isFinite(expires) && expires > 0) lifetime = Math.min(lifetime, expires * 1000);
  return receivedAt + Math.max(0, lifetime);
}

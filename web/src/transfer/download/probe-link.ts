/**
 * Before a presigned URL is handed to the browser's own download manager: its first byte, asked with
 * fetch, so a link the storage refuses (an archived object, a key it may not read, a clock too far
 * off) is said in the page, with S3's reason, rather than left to a download that fails unseen.
 */
import { errorFromResponse, type FetchLike } from './range-transport.ts';

export async function probeLink(
  fetch: FetchLike,
  link: { url: string; key: string; size: number },
  { signal }: { signal?: AbortSignal } = {},
): Promise<void> {
  if (link.size === 0) return; // nothing to ask for: a range of an empty object is 416
  let res: Response;
  try {
    res = await fetch(link.url, { headers: { Range: 'bytes=0-0' }, signal });
  } catch {
    signal?.throwIfAborted();
    // No answer the page may read (the bucket's CORS rules may not name this page, while the browser's
    // own download needs none): the download itself says what happens.
    return;
  }
  if (res.ok) {
    await res.body?.cancel().catch(() => {});
    return;
  }
  const error = await errorFromResponse(res, link.key);
  // A passing refusal (throttled, a 5xx) says nothing of the link: the browser's download, a moment
  // later, may well get through.
  if (error.code === 'throttled' || error.code === 'http-5xx') return;
  throw error;
}

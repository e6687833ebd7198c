/**
 * Before a presigned URL is handed to the browser's own download manager: its first byte, asked with
 * fetch, so a link the storage refuses (an archived object, a key it may not read, a clock too far
 * off) is said in the page, with S3's reason, rather than left to a download that fails unseen.
 */
import { childController } from '../shared/signals.ts';
import { DownloadError } from './errors.ts';
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
    // No answer the page may read: the bucket's CORS rules may not name this page (the browser's own
    // download needs none, and goes through), or the storage cannot be reached from this browser (a
    // VPN or proxy in the way), where the browser's download would fail unseen: it shows nothing
    // until an answer's headers arrive. An opaque request, which needs no CORS, tells the two apart.
    if (await reachable(fetch, link.url, signal)) return;
    throw new DownloadError(
      'network',
      `The storage (${new URL(link.url).host}) could not be reached from this browser, though the Hoist server reaches it: check your connection, VPN or proxy, then try again.`,
    );
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

/** Whether `url` answers at all (headers in), asked without CORS; stopped once it does. */
async function reachable(fetch: FetchLike, url: string, signal: AbortSignal | undefined): Promise<boolean> {
  const { controller, dispose } = childController(signal);
  try {
    await fetch(url, { headers: {}, mode: 'no-cors', signal: controller.signal });
    return true;
  } catch {
    signal?.throwIfAborted();
    return false;
  } finally {
    dispose(); // the body is not wanted: the request ends here
  }
}

/**
 * The one piece of DOM in the download engine: hands a presigned URL to the browser's own download
 * manager. The URL carries `response-content-disposition: attachment; filename=…`, so the browser saves
 * it (any size, no memory in the page); it opens in a hidden iframe, never in the tab, so whatever the
 * storage answers cannot take the page's place, nor make it ask "Leave site?" while transfers run.
 * The link is probed first (probe-link.ts), so one the storage refuses is said in the page.
 */
import { probeLink } from './probe-link.ts';
import { defaultFetch, type FetchLike } from './range-transport.ts';

/** How long a hand-off's iframe stays: the browser has taken the download over long before. */
const FRAME_LIFETIME_MS = 60_000;

export async function downloadInBrowser(
  link: { url: string; key: string; size: number },
  o: { signal?: AbortSignal; fetch?: FetchLike } = {},
): Promise<void> {
  await probeLink(o.fetch ?? defaultFetch, link, o);
  o.signal?.throwIfAborted();
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = 'Download';
  frame.src = link.url;
  frame.dataset.testid = 'download-frame';
  document.body.append(frame);
  setTimeout(() => frame.remove(), FRAME_LIFETIME_MS);
}

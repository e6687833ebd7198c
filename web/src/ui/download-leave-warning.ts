import type { DownloadSnapshot } from '../transfer/download/index.ts';

/**
 * Whether leaving the page now loses something, so it asks first (as uploads do): downloads running
 * or paused stop and leave their files unfinished, and a failed one's saved bytes ("3 GB kept
 * while this tab is open") live in a file the tab holds open (the browser's temporary file: the one
 * in the folder stays empty until the download is finished). Files waiting for a Replace /
 * Skip answer are not running.
 */
export function downloadsLostOnLeave(
  snapshot: Pick<DownloadSnapshot, 'active' | 'paused' | 'failed'>,
): boolean {
  return snapshot.active || snapshot.paused || snapshot.failed.some((item) => item.kept > 0);
}

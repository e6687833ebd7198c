import type { DownloadTotals } from '../transfer/download/index.ts';
import { formatCount } from './format.ts';

import type { HoldingError } from '../transfer/download/index.ts';

/** Said when the queue holds (see `DownloadSnapshot.held`): why, and what to do before Resume. */
export const HELD_TEXT: Readonly<Record<HoldingError, { why: string; fix: string }>> = {
  'disk-full': {
    why: 'Downloads paused: the download folder is out of space.',
    fix: 'Free some space, then Resume.',
  },
  'no-permission': {
    why: 'Downloads paused: this page may no longer write to the download folder.',
    fix: 'Resume asks you to allow it again.',
  },
};

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * What the Downloads card's live region says: milestones only (a choice to make, the end of a run),
 * never the progress of every tick, so a screen reader is told when something needs the user or is
 * over. The same text while nothing changes, so nothing is announced twice.
 */
export function downloadAnnouncement(
  totals: DownloadTotals,
  active: boolean,
  held: HoldingError | null = null,
  /** Downloads done under another name than their key's (`DownloadSnapshot.renamed`). */
  renamed = 0,
): string {
  const { done, failed, cancelled, exists, paused } = totals.counts;
  if (exists > 0) {
    const choose = 'already in the folder: choose Replace, Skip or Keep both.';
    // While the run goes on, files are still being checked and the count grows with each one found
    // (12, 57…): every new count would be said again. Without it then, and with it once all is settled.
    if (active) return exists === 1 ? `A file is ${choose}` : `Files are ${choose}`;
    return `${plural(exists, 'file is', 'files are')} ${choose}`;
  }
  if (held) return `${HELD_TEXT[held].why} ${HELD_TEXT[held].fix}`;
  if (active) return '';
  if (failed > 0) {
    return `${plural(failed, 'download', 'downloads')} failed${done > 0 ? `; ${formatCount(done)} done` : ''}.`;
  }
  if (paused > 0) {
    return `${plural(paused, 'download', 'downloads')} paused${done > 0 ? `; ${formatCount(done)} done` : ''}. Resume goes on from what was saved.`;
  }
  if (cancelled > 0) {
    return `${plural(cancelled, 'download', 'downloads')} cancelled${done > 0 ? `; ${formatCount(done)} done` : ''}.`;
  }
  if (totals.complete) {
    const said = done === 1 ? 'The download is done' : `All ${formatCount(done)} downloads done`;
    if (renamed === 0) return `${said}.`;
    return `${said}; ${renamed === done ? (done === 1 ? 'it was' : 'all were') : plural(renamed, 'was', 'were')} saved under another name.`;
  }
  return '';
}

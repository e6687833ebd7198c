/**
 * What the upload queue's live region says: milestones only (uploads under way, all done, names taken,
 * failures), never progress. A milestone of the same kind as the one shown keeps its words, so a screen
 * reader announces it once (a growing count of taken names is not read out again and again); between
 * milestones the region is empty, so the next one is announced even if its words are the same. "Under
 * way" says the pick worked: before it, a screen reader heard nothing from the pick to "All 4 uploads
 * done", however long that took.
 */
import type { UploadTotals } from './upload-state.ts';
import { formatCount } from '../../../../server/shared/format-count.ts';

export interface Announcement {
  readonly kind: 'running' | 'done' | 'conflict' | 'failed' | 'store-full';
  readonly text: string;
}

export const STORE_FULL_TEXT = 'Uploads paused: the storage is out of space.';
/**
 * The notice beside "Resume uploads" while uploads wait on a full storage: how many wait, and how many
 * failed on it (Resume retries those too, first: upload-manager.ts `resumeAll`).
 */
export function storeFullNotice({ paused, failed }: { paused: number; failed: number }): string {
  const waiting = `${formatCount(paused)} ${paused === 1 ? 'upload waits' : 'uploads wait'}, with the parts already sent`;
  const alsoFailed =
    failed > 0
      ? `; ${formatCount(failed)} failed on it, and Resume tries ${failed === 1 ? 'it' : 'them'} again`
      : '';
  return `${STORE_FULL_TEXT} ${waiting}${alsoFailed}. Free some space on it, then Resume.`;
}

export const CONFLICT_TEXT = 'A name is already taken: uploads wait for Replace, Keep both or Skip.';

type Counts = Pick<UploadTotals, 'byStatus' | 'files' | 'busy'>;

/** `storeFull`: uploads wait because the storage is out of space (`UploadSnapshot.storeFull`). */
export function nextAnnouncement(
  previous: Announcement | null,
  totals: Counts,
  storeFull = false,
): Announcement | null {
  const next = storeFull ? { kind: 'store-full' as const, text: STORE_FULL_TEXT } : milestone(totals);
  if (next === null) return null;
  return previous?.kind === next.kind ? previous : next;
}

function milestone({ byStatus, files, busy }: Counts): Announcement | null {
  // No count: the words stay while more names are found taken (see above), and a number would go stale.
  if (byStatus.conflict > 0) return { kind: 'conflict', text: CONFLICT_TEXT };
  const going = byStatus.queued + byStatus.hashing + byStatus.uploading;
  if (going > 0)
    return { kind: 'running', text: `Uploading ${going === 1 ? '1 file' : `${formatCount(going)} files`}…` };
  if (busy || byStatus.paused > 0) return null;
  if (byStatus.failed > 0) return { kind: 'failed', text: `${uploads(byStatus.failed)} failed` };
  const left = [
    byStatus.skipped > 0 && `${formatCount(byStatus.skipped)} skipped`,
    byStatus.cancelled > 0 && `${formatCount(byStatus.cancelled)} cancelled`,
  ].filter((s) => s !== false);
  if (files > 0 && byStatus.done === files) {
    const done = files === 1 ? '1 upload done' : `All ${formatCount(files)} uploads done`;
    return { kind: 'done', text: [done, ...left].join(', ') };
  }
  if (files === 0 && left.length > 0) {
    const ended = [
      byStatus.skipped > 0 && `${uploads(byStatus.skipped)} skipped`,
      byStatus.cancelled > 0 && `${uploads(byStatus.cancelled)} cancelled`,
    ].filter((s) => s !== false);
    return { kind: 'done', text: ended.join(', ') };
  }
  return null;
}

function uploads(n: number): string {
  return n === 1 ? '1 upload' : `${formatCount(n)} uploads`;
}

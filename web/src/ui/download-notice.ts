import { createValueStore, useValueStore } from './value-store.ts';

/**
 * One line about starting a download of a folder or a selection, shown in the Downloads card (not
 * beside the button that started it, which may be in a table row), until dismissed or replaced.
 * 'info': nothing went wrong, but nothing was started either (a folder with no files).
 * 'fallback': this browser cannot save into a chosen folder; once dismissed it is not shown again
 * while the page is open.
 */
export type DownloadNotice = { kind: 'fallback' } | { kind: 'error' | 'info'; text: string };

const notice = createValueStore<DownloadNotice | null>(null);
let fallbackDismissed = false;

export const downloadNotices = {
  show(next: DownloadNotice): void {
    if (next.kind === 'fallback' && fallbackDismissed) return;
    notice.set(next);
  },
  /** A new download starts: what was said about the last one no longer applies. */
  clear(): void {
    notice.set(null);
  },
  dismiss(): void {
    if (notice.get()?.kind === 'fallback') fallbackDismissed = true;
    notice.set(null);
  },
};

export function useDownloadNotice(): DownloadNotice | null {
  return useValueStore(notice);
}

/**
 * A download is being started (folder picker open, folder being listed): the buttons that start one
 * are busy meanwhile, so a double click does not queue everything twice.
 */
export const downloadStarting = createValueStore(false);

export function useDownloadStarting(): boolean {
  return useValueStore(downloadStarting);
}

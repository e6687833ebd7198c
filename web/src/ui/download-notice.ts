import { useSyncExternalStore } from 'react';

/**
 * One line about starting a download of a folder or a selection, shown in the Downloads card (not
 * beside the button that started it, which may be in a table row), until dismissed or replaced.
 * 'info': nothing went wrong, but nothing was started either (a folder with no files).
 * 'fallback': this browser cannot save into a chosen folder; once dismissed it is not shown again
 * while the page is open.
 */
export type DownloadNotice = { kind: 'fallback' } | { kind: 'error' | 'info'; text: string };

let notice: DownloadNotice | null = null;
let fallbackDismissed = false;
const listeners = new Set<() => void>();

function set(next: DownloadNotice | null): void {
  if (next === notice) return;
  notice = next;
  for (const listener of [...listeners]) listener();
}

export const downloadNotices = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: (): DownloadNotice | null => notice,
  show(next: DownloadNotice): void {
    if (next.kind === 'fallback' && fallbackDismissed) return;
    set(next);
  },
  /** A new download starts: what was said about the last one no longer applies. */
  clear(): void {
    set(null);
  },
  dismiss(): void {
    if (notice?.kind === 'fallback') fallbackDismissed = true;
    set(null);
  },
};

export function useDownloadNotice(): DownloadNotice | null {
  return useSyncExternalStore(downloadNotices.subscribe, downloadNotices.get);
}

/**
 * A download is being started (folder picker open, folder being listed): the buttons that start one
 * are busy meanwhile, so a double click does not queue everything twice.
 */
let starting = false;
const startingListeners = new Set<() => void>();

export const downloadStarting = {
  subscribe(listener: () => void): () => void {
    startingListeners.add(listener);
    return () => startingListeners.delete(listener);
  },
  get: (): boolean => starting,
  set(next: boolean): void {
    if (next === starting) return;
    starting = next;
    for (const listener of [...startingListeners]) listener();
  },
};

export function useDownloadStarting(): boolean {
  return useSyncExternalStore(downloadStarting.subscribe, downloadStarting.get);
}

import { useSyncExternalStore } from 'react';

/**
 * A folder (or the folders of a selection) being listed before its download starts: a folder of
 * 100,000 objects is 100 list calls, so the Downloads card says how many files were found so far,
 * with Stop, as `aws s3 cp --recursive` can be interrupted while it lists. Null when nothing is listed.
 */
export interface DownloadListing {
  /** What is listed, as a notice names it ("“photos/”", "the selection"). */
  readonly what: string;
  readonly found: number;
}

let listing: DownloadListing | null = null;
let controller: AbortController | null = null;
const listeners = new Set<() => void>();

function set(next: DownloadListing | null): void {
  listing = next;
  for (const listener of [...listeners]) listener();
}

export const downloadListing = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: (): DownloadListing | null => listing,
  /** A listing starts: its signal ends it on Stop. */
  begin(what: string): { signal: AbortSignal; found: (count: number) => void; end: () => void } {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    let found = 0;
    set({ what, found });
    const current = () => controller === own;
    return {
      signal: own.signal,
      found: (count) => {
        found += count;
        if (current() && !own.signal.aborted) set({ what, found });
      },
      end: () => {
        if (!current()) return;
        controller = null;
        set(null);
      },
    };
  },
  stop(): void {
    controller?.abort();
  },
};

export function useDownloadListing(): DownloadListing | null {
  return useSyncExternalStore(downloadListing.subscribe, downloadListing.get);
}

import { createValueStore, useValueStore } from './value-store.ts';

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

const listing = createValueStore<DownloadListing | null>(null);
let controller: AbortController | null = null;
const set = listing.set;

export const downloadListing = {
  get: listing.get,
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
  return useValueStore(listing);
}

import {
  BrowserDownloadFallback,
  downloadInBrowser,
  type DownloadRequest,
  type FallbackResult,
} from '../transfer/download/index.ts';
import { downloadNotices } from './download-notice.ts';
import { createValueStore, useValueStore } from './value-store.ts';
import { httpDownloadApi } from './use-downloads.ts';

/**
 * Where there is no folder picker (Firefox, Safari, a plain-http page), files are handed to the
 * browser's own downloads one after another, 800 ms apart: 300 files take four minutes. This is that
 * run as the Downloads card shows it: how many were handed over of how many, with Stop; files asked
 * for while it runs join it. Null before the first run.
 */
export interface FallbackProgress {
  readonly handed: number;
  readonly failed: readonly string[];
  readonly total: number;
  readonly running: boolean;
  /** Stopped by the user before the end. */
  readonly stopped: boolean;
}

const run = createValueStore<FallbackProgress | null>(null);
let controller = new AbortController();
/** The batches asked for, run one after another. */
let chain: Promise<void> = Promise.resolve();

export const fallbackRun = {
  /** Hands `items` to the browser after those already waiting. */
  add(items: readonly DownloadRequest[]): Promise<void> {
    const progress = run.get();
    const running = progress?.running === true;
    run.set({
      handed: running ? progress.handed : 0,
      failed: running ? progress.failed : [],
      total: (running ? progress.total : 0) + items.length,
      running: true,
      stopped: false,
    });
    const { signal } = controller;
    chain = chain.then(() => handOver(items, signal)).catch(() => undefined);
    return chain;
  },
  /** Forgets a run that is over (its line goes from the card). */
  clear(): void {
    const progress = run.get();
    if (progress && !progress.running) run.set(null);
  },
  /** Stops handing files over (those handed already are the browser's). */
  stop(): void {
    controller.abort();
    controller = new AbortController();
    const progress = run.get();
    if (progress?.running) run.set({ ...progress, running: false, stopped: true });
  },
};

async function handOver(items: readonly DownloadRequest[], signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const onResult = (r: FallbackResult) => {
    const progress = run.get();
    if (!progress || signal.aborted) return;
    if (r.status === 'handed-off') run.set({ ...progress, handed: progress.handed + 1 });
    if (r.status === 'failed') run.set({ ...progress, failed: [...progress.failed, r.key] });
  };
  await new BrowserDownloadFallback(httpDownloadApi, (link, o) => downloadInBrowser(link, o), {
    onResult,
  }).run(items, {
    signal,
  });
  const progress = run.get();
  if (!progress || signal.aborted) return;
  if (progress.handed + progress.failed.length >= progress.total) {
    run.set({ ...progress, running: false });
    if (progress.failed.length > 0)
      downloadNotices.show({
        kind: 'error',
        text: `${progress.failed.length} download(s) could not start: ${progress.failed.join(', ')}`,
      });
  }
}

export function useFallbackRun(): FallbackProgress | null {
  return useValueStore(run);
}

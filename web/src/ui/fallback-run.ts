import { useSyncExternalStore } from 'react';
import {
  BrowserDownloadFallback,
  downloadInBrowser,
  type DownloadRequest,
  type FallbackResult,
} from '../transfer/download/index.ts';
import { downloadNotices } from './download-notice.ts';
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

let progress: FallbackProgress | null = null;
const listeners = new Set<() => void>();
let controller = new AbortController();
/** The batches asked for, run one after another. */
let chain: Promise<void> = Promise.resolve();

function set(next: FallbackProgress | null): void {
  progress = next;
  for (const listener of [...listeners]) listener();
}

export const fallbackRun = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: (): FallbackProgress | null => progress,
  /** Hands `items` to the browser after those already waiting. */
  add(items: readonly DownloadRequest[]): Promise<void> {
    const running = progress?.running === true;
    set({
      handed: running ? progress!.handed : 0,
      failed: running ? progress!.failed : [],
      total: (running ? progress!.total : 0) + items.length,
      running: true,
      stopped: false,
    });
    const { signal } = controller;
    chain = chain.then(() => handOver(items, signal)).catch(() => undefined);
    return chain;
  },
  /** Forgets a run that is over (its line goes from the card). */
  clear(): void {
    if (progress && !progress.running) set(null);
  },
  /** Stops handing files over (those handed already are the browser's). */
  stop(): void {
    controller.abort();
    controller = new AbortController();
    if (progress?.running) set({ ...progress, running: false, stopped: true });
  },
};

async function handOver(items: readonly DownloadRequest[], signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const onResult = (r: FallbackResult) => {
    if (!progress || signal.aborted) return;
    if (r.status === 'handed-off') set({ ...progress, handed: progress.handed + 1 });
    if (r.status === 'failed') set({ ...progress, failed: [...progress.failed, r.key] });
  };
  await new BrowserDownloadFallback(httpDownloadApi, (link, o) => downloadInBrowser(link, o), {
    onResult,
  }).run(items, {
    signal,
  });
  if (!progress || signal.aborted) return;
  if (progress.handed + progress.failed.length >= progress.total) {
    set({ ...progress, running: false });
    if (progress.failed.length > 0)
      downloadNotices.show({
        kind: 'error',
        text: `${progress.failed.length} download(s) could not start: ${progress.failed.join(', ')}`,
      });
  }
}

export function useFallbackRun(): FallbackProgress | null {
  return useSyncExternalStore(fallbackRun.subscribe, fallbackRun.get);
}

import { useEffect, useSyncExternalStore } from 'react';
import { downloadLink, downloadLinks } from '../api/objects.ts';
import { storeReachable } from '../api/store-reachable.ts';
import { DownloadManager, type DownloadApi, type DownloadSnapshot } from '../transfer/download/index.ts';

export const httpDownloadApi: DownloadApi = {
  link: (key, o) => downloadLink(key, o?.signal),
  links: (keys, o) => downloadLinks(keys, o?.signal),
  storeReachable: (o) => storeReachable(o?.signal),
};

let shared: DownloadManager | null = null;

export function getDownloadManager(): DownloadManager {
  shared ??= new DownloadManager(httpDownloadApi);
  return shared;
}

/** React's view of the download engine. */
export function useDownloads(): { manager: DownloadManager; snapshot: DownloadSnapshot } {
  const manager = getDownloadManager();
  const snapshot = useSyncExternalStore(manager.subscribe, manager.getSnapshot);

  // Leaving the page while downloads run (or are paused) stops them and leaves their files unfinished:
  // ask first (as uploads do). Files waiting for a Replace / Skip answer are not running.
  const running = snapshot.active || snapshot.paused;
  useEffect(() => {
    if (!running) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [running]);

  return { manager, snapshot };
}

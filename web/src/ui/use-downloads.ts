import { useSyncExternalStore } from 'react';
import { downloadsLostOnLeave } from './download-leave-warning.ts';
import { useLeaveWarning } from './use-leave-warning.ts';
import { downloadLink, downloadLinks } from '../api/objects.ts';
import { pageSession } from '../api/session.ts';
import { storeReachable } from '../api/store-reachable.ts';
import { DownloadManager, type DownloadApi, type DownloadSnapshot } from '../transfer/download/index.ts';

export const httpDownloadApi: DownloadApi = {
  link: (key, o) => downloadLink(key, o?.signal, o?.versionId),
  links: (keys, o) => downloadLinks(keys, o?.signal),
  storeReachable: async (o) => (await storeReachable(o?.signal)).reachable,
};

let shared: DownloadManager | null = null;

export function getDownloadManager(): DownloadManager {
  shared ??= new DownloadManager(httpDownloadApi, { session: pageSession });
  return shared;
}

/** React's view of the download engine. */
export function useDownloads(): { manager: DownloadManager; snapshot: DownloadSnapshot } {
  const manager = getDownloadManager();
  const snapshot = useSyncExternalStore(manager.subscribe, manager.getSnapshot);

  useLeaveWarning(downloadsLostOnLeave(snapshot));

  return { manager, snapshot };
}

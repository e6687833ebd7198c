import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { httpUploadApi } from '../api/http-upload-api.ts';
import {
  UploadManager,
  createIndexedDbJournal,
  createWorkerHasher,
  type UploadSnapshot,
} from '../transfer/upload/index.ts';

let shared: UploadManager | null = null;

/** One manager per page, built on first use with the browser's real transport, worker hasher and journal. */
export function getUploadManager(): UploadManager {
  shared ??= new UploadManager({
    api: httpUploadApi,
    hasher: createWorkerHasher(),
    journal: createIndexedDbJournal(),
  });
  return shared;
}

/** React's view of the upload engine: an external store, nothing copied into component state. */
export function useUploads(): { manager: UploadManager; snapshot: UploadSnapshot } {
  const manager = getUploadManager();
  const snapshot = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  const queryClient = useQueryClient();
  const doneCount = snapshot.totals.byStatus.done;
  const seen = useRef(doneCount);

  // Finished uploads appear in the object list without a manual refresh.
  useEffect(() => {
    if (doneCount !== seen.current) {
      seen.current = doneCount;
      void queryClient.invalidateQueries({ queryKey: ['objects'] });
    }
  }, [doneCount, queryClient]);

  // Leaving the page while transfers run loses their progress in this tab: ask first.
  useEffect(() => {
    if (!snapshot.totals.busy) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [snapshot.totals.busy]);

  return { manager, snapshot };
}

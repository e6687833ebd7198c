import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { httpUploadApi } from '../api/http-upload-api.ts';
import { pageSession } from '../api/session.ts';
import {
  UploadManager,
  broadcastLocks,
  createIndexedDbJournal,
  createWorkerHasher,
  leaveAsks,
  webLocks,
  type UploadSnapshot,
} from '../transfer/upload/index.ts';
import type { ChecksumAlgorithm } from '../../../server/shared/api-types.ts';
import { useHealth } from './use-health.ts';
import { useLeaveWarning } from './use-leave-warning.ts';
import { objectsChanged } from './objects-changed.ts';

const REFRESH_EVERY_MS = 2_000;

let shared: UploadManager | null = null;
/** The store's checksum algorithm from the last health report: lets part 1 be hashed during create. */
let checksumHint: ChecksumAlgorithm | undefined;

/** One manager per page, built on first use with the browser's real transport, worker hasher and journal. */
export function getUploadManager(): UploadManager {
  if (shared) return shared;
  const hasher = createWorkerHasher();
  // Start the workers and compile the WASM hashers in each now, not when the first file is picked: that
  // is time the first progress update would otherwise wait for.
  hasher.warm(['CRC32', 'MD5']);
  shared = new UploadManager({
    api: httpUploadApi,
    hasher,
    journal: createIndexedDbJournal(),
    // Small files spend most of their time on API calls (create, sign, complete), not on S3: keep
    // more of them going than there are part slots; more still of those sent in one PUT (2,000 files
    // of 0.5-3.5 KB: 38 files/s with 12 at once, 47-55 with 48; picked again, all already there,
    // 95-109 and 120-153).
    maxActiveFiles: 12,
    maxActiveSmallFiles: 48,
    checksumHint: () => checksumHint,
    session: pageSession,
    // Web Locks exist only on secure pages: over plain http from another machine, tabs ask each other
    // over a BroadcastChannel instead, so a second tab still never resumes or discards another's upload.
    locks: 'locks' in navigator ? webLocks() : broadcastLocks(),
  });
  return shared;
}

/** React's view of the upload engine: an external store, nothing copied into component state. */
export function useUploads(): { manager: UploadManager; snapshot: UploadSnapshot } {
  const manager = getUploadManager();
  const hint = useHealth().data?.checksumAlgorithm;
  useEffect(() => {
    if (hint) checksumHint = hint;
  }, [hint]);
  const snapshot = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  const queryClient = useQueryClient();
  const doneCount = snapshot.totals.byStatus.done;
  const seen = useRef(doneCount);
  const lastRefresh = useRef(0);

  // Finished uploads appear in the object list without a manual refresh: at most every 2 s while
  // a long queue is finishing (not once per file), and once more when it is done.
  useEffect(() => {
    if (doneCount === seen.current) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      seen.current = doneCount;
      lastRefresh.current = Date.now();
      objectsChanged(queryClient);
    }, wait);
    return () => clearTimeout(timer);
  }, [doneCount, queryClient]);

  // Leaving the page while uploads run, are paused or wait for an answer loses them (files not yet
  // started, and small ones, are not kept for "Unfinished uploads"): ask first.
  useLeaveWarning(leaveAsks(snapshot.totals));

  return { manager, snapshot };
}

import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  downloadSide,
  pausedPercent,
  transferOutcome,
  transferPercent,
  transferTitle,
  uploadSide,
  type Outcome,
} from './transfer-title.ts';
import { getDownloadManager } from './use-downloads.ts';
import { getUploadManager } from './use-upload-manager.ts';

/** How long "Done · Hoist" stays in the title after the last transfer ends. */
const OUTCOME_SHOWN_MS = 5_000;

/**
 * Keeps the tab's title on the transfers' overall progress ("42% · Hoist"). It reads the engines'
 * snapshots straight from the page's managers (the ones `useUploads`/`useDownloads` wrap), without
 * those hooks' side effects (listing refreshes, leave-page prompts), which must happen once a page.
 */
export function useTransferTitle(base: string): void {
  const uploads = getUploadManager();
  const downloads = getDownloadManager();
  const upload = useSyncExternalStore(uploads.subscribe, uploads.getSnapshot);
  const download = useSyncExternalStore(downloads.subscribe, downloads.getSnapshot);
  const sides = [uploadSide(upload.totals), downloadSide(download)];
  const percent = transferPercent(sides);
  const running = percent !== null;
  // How the last run ended, said for a moment once nothing runs.
  const [ended, setEnded] = useState<Outcome | null>(null);
  const [wasRunning, setWasRunning] = useState(running);
  if (wasRunning !== running) {
    setWasRunning(running);
    setEnded(running ? null : transferOutcome(sides));
  }
  useEffect(() => {
    if (ended === null) return;
    const timer = setTimeout(() => setEnded(null), OUTCOME_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [ended]);
  const title = transferTitle(base, percent, ended, pausedPercent(sides));
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/**
 * The title as a component of its own that renders nothing: the engines' snapshots change many times a
 * second during a transfer, and only this leaf re-renders for them, not the page that holds it.
 */
export function TransferTitle({ base }: { base: string }): null {
  useTransferTitle(base);
  return null;
}

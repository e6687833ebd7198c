/**
 * The tab's title while files move: overall progress ("42% · Hoist"), then how it ended ("Done ·
 * Hoist") for a moment, so a background tab says where things are.
 */
import type { DownloadSnapshot } from '../transfer/download/index.ts';
import type { UploadTotals } from '../transfer/upload/index.ts';

/** One engine's transfers, as the title sees them. */
export interface TransferSide {
  /** Something is queued or moving. */
  running: boolean;
  /** Bytes done and bytes in all, over everything listed that is not cancelled or skipped. */
  loaded: number;
  total: number;
  /**
   * What is left once nothing runs: 'failed' (something failed), 'waiting' (paused, or a question
   * to answer), 'complete' (files were transferred, nothing else is left), 'none' (nothing listed).
   */
  settled: 'failed' | 'waiting' | 'complete' | 'none';
  /** Something is paused (its bytes kept, waiting for Resume). */
  paused: boolean;
}

export type Outcome = 'done' | 'failed';

export function uploadSide(totals: UploadTotals): TransferSide {
  const s = totals.byStatus;
  return {
    running: totals.busy,
    // As the panel's bar shows it: a part in flight moves the title too (one 5 MiB PUT is one part).
    loaded: totals.bytesUploaded + totals.bytesSending,
    total: totals.bytesTotal,
    settled:
      s.failed > 0 ? 'failed' : s.paused + s.conflict > 0 ? 'waiting' : s.done > 0 ? 'complete' : 'none',
    paused: s.paused > 0,
  };
}

export function downloadSide(snapshot: DownloadSnapshot): TransferSide {
  const { counts, loaded, bytes } = snapshot.totals;
  return {
    // Held on a full disk with nothing downloading: stopped until the user acts, not running.
    running: snapshot.active && !(snapshot.held && counts.downloading === 0),
    loaded,
    total: bytes,
    settled:
      counts.failed > 0
        ? 'failed'
        : counts.exists + counts.paused > 0
          ? 'waiting'
          : counts.done > 0
            ? 'complete'
            : 'none',
    paused: counts.paused > 0,
  };
}

/**
 * Whole percent done over the engines that are running, or null when none is. Never 100 while
 * running (the last bytes are not the end: S3 still has to complete the upload).
 */
export function transferPercent(sides: readonly TransferSide[]): number | null {
  return percentOf(sides.filter((s) => s.running));
}

/**
 * Once nothing runs, whole percent done over the engines with something paused, or null when none
 * has: a background tab says a 2 GiB upload sits paused at 13 %, not just the page's name.
 */
export function pausedPercent(sides: readonly TransferSide[]): number | null {
  return sides.some((s) => s.running) ? null : percentOf(sides.filter((s) => s.paused));
}

function percentOf(sides: readonly TransferSide[]): number | null {
  if (sides.length === 0) return null;
  const total = sides.reduce((sum, s) => sum + s.total, 0);
  const loaded = sides.reduce((sum, s) => sum + Math.min(s.loaded, s.total), 0);
  if (total <= 0) return 0;
  return Math.min(99, Math.floor((loaded / total) * 100));
}

/** How a run ended, once nothing runs: null when there is nothing to say (all cancelled, or waiting). */
export function transferOutcome(sides: readonly TransferSide[]): Outcome | null {
  if (sides.some((s) => s.settled === 'failed')) return 'failed';
  if (sides.some((s) => s.settled === 'waiting')) return null;
  return sides.some((s) => s.settled === 'complete') ? 'done' : null;
}

export function transferTitle(
  base: string,
  percent: number | null,
  ended: Outcome | null,
  paused: number | null = null,
): string {
  if (percent !== null) return `${percent}% · ${base}`;
  if (paused !== null) return `Paused ${paused}% · ${base}`;
  if (ended === 'done') return `Done · ${base}`;
  if (ended === 'failed') return `Failed · ${base}`;
  return base;
}

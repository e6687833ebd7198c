import type { DownloadItem } from '../transfer/download/index.ts';
import type { UploadStatus } from '../transfer/upload/upload-state.ts';

/**
 * The object's name when it is not the file's (after "Keep both": "notes (1).txt"), else null; a name
 * that differs only in its Unicode form (keys are NFC) is the same name.
 */
export function nameChangedTo(key: string, fileName: string): string | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  // A key another tool wrote in the other Unicode form ("e" + accent for "é") looks the same: no news.
  return name.normalize('NFC') === fileName.normalize('NFC') ? null : name;
}

/**
 * Where a download goes when that is not its key (a key that is no file name, or "Keep both"):
 * "Saved as …" once saved, "Saving as …" before; nothing for one that ended unsaved (failed, cancelled,
 * skipped), which saved nothing anywhere.
 */
export function downloadSavedAs(
  item: Pick<DownloadItem, 'status' | 'relativePath' | 'keyPath'>,
): string | null {
  if (item.relativePath === '' || item.relativePath === item.keyPath) return null;
  if (item.status === 'done') return `Saved as “${item.relativePath}”`;
  if (item.status === 'failed' || item.status === 'cancelled' || item.status === 'skipped') return null;
  return `Saving as “${item.relativePath}”`;
}

/**
 * The object name an upload goes to when that is not the file's (after "Keep both"): "Saved as …"
 * once done, "Saving as …" while it may still get there; nothing once cancelled or skipped, when
 * nothing was saved under it.
 */
export function uploadSavedAs(status: UploadStatus, key: string | null, fileName: string): string | null {
  const name = key === null ? null : nameChangedTo(key, fileName);
  if (name === null || status === 'cancelled' || status === 'cancelling' || status === 'skipped') return null;
  return `${status === 'done' ? 'Saved' : 'Saving'} as “${name}”`;
}

import type { DownloadItem } from '../transfer/download/index.ts';

/**
 * The object's name when it is not the file's (after "Keep both": "notes (1).txt"), else null; a name
 * that differs only in its Unicode form (keys are NFC) is the same name.
 */
export function nameChangedTo(key: string, fileName: string): string | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name === fileName.normalize('NFC') ? null : name;
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

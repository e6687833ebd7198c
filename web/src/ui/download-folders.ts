import type { DownloadItem } from '../transfer/download/index.ts';

/**
 * Whether the list holds downloads into more than one folder: then each row names its folder, so the
 * same folder downloaded into two places is two rows that say where each goes, not two alike. With
 * one folder the rows say nothing of it (the user just picked it). Stops at the second folder found.
 */
export function intoSeveralFolders(items: readonly Pick<DownloadItem, 'folder'>[]): boolean {
  let first: string | null | undefined;
  for (const { folder } of items) {
    if (folder === null) continue;
    if (first === undefined) first = folder;
    else if (folder !== first) return true;
  }
  return false;
}

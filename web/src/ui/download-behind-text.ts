import type { DownloadItem } from '../transfer/download/index.ts';
import { formatBytes } from './format.ts';

/**
 * What a queued row says while it waits for another download of the same file name into the folder
 * (a/report.pdf and b/report.pdf): for which, and what would let it go, so "Queued" that never moves
 * is never all it says. Once that one lets the file go, this one asks Replace / Keep both / Skip.
 */
export function downloadBehindText(
  writer: Pick<DownloadItem, 'keyPath' | 'status' | 'kept'>,
  relativePath: string,
): string {
  const both = `both save as ${relativePath}`;
  switch (writer.status) {
    case 'paused':
      return `Waits for the paused download of ${writer.keyPath} (${both}): resume or cancel it to go on.`;
    case 'exists':
      return `Waits for your choice on ${writer.keyPath} (${both}).`;
    case 'failed':
      return `Waits for the failed download of ${writer.keyPath}, whose ${formatBytes(writer.kept)} saved are in that file (${both}): resume or remove it to go on.`;
    default:
      return `Waits for the download of ${writer.keyPath} (${both}); then asks what to do with that file.`;
  }
}

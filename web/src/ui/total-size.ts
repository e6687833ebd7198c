import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { formatBytes, formatCount } from './format.ts';

/**
 * "Calculate total size", as the S3 console's action of that name: how many objects the selection
 * stands for (everything under each ticked folder, and the ticked objects) and their bytes, counted a
 * listing page (1,000 keys) at a time, so a folder of a million objects shows its running count and
 * can be stopped.
 */
export interface SizeTally {
  readonly objects: number;
  readonly bytes: number;
}

/** One page of every key under `prefix` (no delimiter), from `cursor` on. */
export type ListPage = (
  prefix: string,
  cursor: string | null,
  signal: AbortSignal,
) => Promise<{ objects: readonly ObjectEntry[]; nextCursor: string | null }>;

/**
 * Counts the ticked `objects` and everything under `folders` (the folders of one listing level: no
 * key is under two of them, nor is a ticked object under a ticked folder), calling `onProgress` with
 * the tally after each page. Rejects with the signal's reason once it is aborted.
 */
export async function tallySelection(
  objects: readonly ObjectEntry[],
  folders: readonly string[],
  listPage: ListPage,
  o: { signal: AbortSignal; onProgress?: (tally: SizeTally) => void },
): Promise<SizeTally> {
  let tally: SizeTally = { objects: objects.length, bytes: objects.reduce((sum, e) => sum + e.size, 0) };
  o.onProgress?.(tally);
  for (const folder of folders) {
    let cursor: string | null = null;
    do {
      o.signal.throwIfAborted();
      const page: Awaited<ReturnType<ListPage>> = await listPage(folder, cursor, o.signal);
      tally = {
        objects: tally.objects + page.objects.length,
        bytes: page.objects.reduce((sum, e) => sum + e.size, tally.bytes),
      };
      o.onProgress?.(tally);
      cursor = page.nextCursor;
    } while (cursor);
  }
  o.signal.throwIfAborted();
  return tally;
}

/** "1,234 objects, 3.2 GB (3,435,973,837 bytes)": the total as the S3 console gives it, with the exact bytes. */
export function tallyText(tally: SizeTally): string {
  const objects = `${formatCount(tally.objects)} object${tally.objects === 1 ? '' : 's'}`;
  const exact = `${formatCount(tally.bytes)} byte${tally.bytes === 1 ? '' : 's'}`;
  return tally.bytes < 1024 ? `${objects}, ${exact}` : `${objects}, ${formatBytes(tally.bytes)} (${exact})`;
}

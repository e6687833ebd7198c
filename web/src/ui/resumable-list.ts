/**
 * The "Unfinished uploads" list: journal records of uploads from earlier visits, less those running
 * again in this tab. Pure.
 */
import type { UploadRecord } from '../transfer/upload/journal.ts';
import { failedForGood, type UploadItem } from '../transfer/upload/upload-state.ts';

/**
 * The records not running again in this tab (the same path is the same upload) nor discarded here. A
 * row that failed for good (a different file of that name: "Discard it, or rename this file") does not
 * hide its record: the Discard it asks for is there.
 * O(files in the list) only when there are records: none, the usual case, costs nothing per render.
 */
export function unfinishedElsewhere(
  records: readonly UploadRecord[],
  items: readonly Pick<UploadItem, 'status' | 'error' | 'relativePath' | 'name'>[],
  discarded: ReadonlySet<string>,
): readonly UploadRecord[] {
  if (records.length === 0) return records;
  const active = new Set(
    items
      .filter((i) => i.status !== 'done' && i.status !== 'cancelled' && !failedForGood(i))
      .map((i) => i.relativePath ?? i.name),
  );
  return records.filter((r) => !active.has(r.relativePath ?? r.name) && !discarded.has(r.id));
}

/**
 * Whether a fresh read of the journal shows what `previous` shows: the same uploads with as many parts
 * sent (nothing else of a record changes). Then the list keeps `previous`, and the panel is not drawn
 * again for it.
 */
export function sameRecords(previous: readonly UploadRecord[], next: readonly UploadRecord[]): boolean {
  return (
    previous.length === next.length &&
    previous.every((r, i) => r.id === next[i]!.id && r.parts.length === next[i]!.parts.length)
  );
}

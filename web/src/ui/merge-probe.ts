import type { ObjectPage } from '../../../server/shared/api-types.ts';
import { isFolderMarker } from '../../../server/shared/folder-marker.ts';

/** Keys listed to tell whether a folder holds objects: enough to see past a few folder markers. */
export const MERGE_PROBE_LIMIT = 20;

/**
 * Whether a listing of a folder (all its keys, no delimiter) shows it holds objects a move into it
 * would go beside. Folder markers (zero-byte "name/" keys, the S3 console's "Create folder") are
 * no objects: an empty console-made folder takes a folder rename as it is. A page of markers only
 * with more after it may hide objects: that counts as holding some.
 */
export function holdsObjects(page: Pick<ObjectPage, 'objects' | 'nextCursor'>): boolean {
  return page.objects.some((o) => !isFolderMarker(o)) || page.nextCursor !== null;
}

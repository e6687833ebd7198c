import type { ObjectEntry } from './api-types.ts';

/**
 * A folder marker: an empty object whose key ends in "/" ("photos/", the S3 console's "Create folder"),
 * which holds no file. An object so named WITH content (a PUT of "keys/trailing/" with a body) is no
 * marker: it is downloaded, counted and deleted like any object (saved under a file name of its own,
 * as keys that are no file names are), never dropped unsaid.
 */
export const isFolderMarker = (o: Pick<ObjectEntry, 'key' | 'size'>): boolean =>
  o.key.endsWith('/') && o.size === 0;

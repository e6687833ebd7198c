import type { ObjectEntry } from '../../../server/shared/api-types.ts';

export type SortKey = 'name' | 'size' | 'modified';

/** Sorts one page of a listing; S3 itself only lists in key order. Pure and stable. */
export function sortEntries(entries: readonly ObjectEntry[], key: SortKey, dir: 1 | -1): ObjectEntry[] {
  const by = {
    name: (a: ObjectEntry, b: ObjectEntry) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    size: (a: ObjectEntry, b: ObjectEntry) => a.size - b.size,
    modified: (a: ObjectEntry, b: ObjectEntry) => Date.parse(a.lastModified) - Date.parse(b.lastModified),
  }[key];
  return [...entries].sort((a, b) => by(a, b) * dir || (a.key < b.key ? -1 : 1));
}

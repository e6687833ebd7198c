import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { compareKeys } from '../../../server/shared/compare-keys.ts';

export type SortKey = 'name' | 'size' | 'modified';

/** Sorts one page of a listing; S3 itself only lists in key order. Pure and stable. */
export function sortEntries(entries: readonly ObjectEntry[], key: SortKey, dir: 1 | -1): ObjectEntry[] {
  const by = {
    name: (a: ObjectEntry, b: ObjectEntry) => compareKeys(a.key, b.key),
    size: (a: ObjectEntry, b: ObjectEntry) => a.size - b.size,
    modified: (a: ObjectEntry, b: ObjectEntry) => Date.parse(a.lastModified) - Date.parse(b.lastModified),
  }[key];
  return [...entries].sort((a, b) => by(a, b) * dir || (a.key < b.key ? -1 : 1));
}

/**
 * `folders` in the listing's order (S3's, by key). They stay above the files, as in a file manager,
 * and follow the name order both ways (Z to A lists them Z to A too); they have no size or date, so
 * other orders keep them A to Z. Pure.
 */
export function sortFolders(folders: readonly string[], key: SortKey, dir: 1 | -1): readonly string[] {
  return key === 'name' && dir === -1 ? [...folders].reverse() : folders;
}

const ORDER: Record<SortKey, [ascending: string, descending: string]> = {
  name: ['name, A to Z', 'name, Z to A'],
  size: ['size, smallest first', 'size, largest first'],
  modified: ['last modified, oldest first', 'last modified, newest first'],
};

/**
 * What a screen reader is told when a column header sorts the table: `aria-sort` changes silently
 * (NVDA and JAWS read it only when the header is reached again). `pageOnly`: the folder has more
 * than one page, and only the one shown is sorted.
 */
export function sortSummary(key: SortKey, dir: 1 | -1, pageOnly: boolean): string {
  return `Sorted by ${ORDER[key][dir === 1 ? 0 : 1]}${pageOnly ? ', this page only' : ''}.`;
}

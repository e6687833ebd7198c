import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { taskLimit } from '../transfer/shared/task-limit.ts';
import { formatCount } from './format.ts';

/** Ticked folders listed at once: a page of 100 ticked folders is not 100 listings at a time. */
export const FOLDERS_LISTED_AT_ONCE = 4;

/**
 * What a selection of rows stands for: the ticked objects plus every object under each ticked
 * folder (listed with `listAll`, `FOLDERS_LISTED_AT_ONCE` at a time), each key once, in the order
 * met. Folder markers ("photos/") count as objects here, so deleting a folder removes its marker too.
 */
export async function expandSelection(
  objects: readonly ObjectEntry[],
  folders: readonly string[],
  listAll: (prefix: string) => Promise<ObjectEntry[]>,
): Promise<ObjectEntry[]> {
  const limit = taskLimit(FOLDERS_LISTED_AT_ONCE);
  const lists = await Promise.all(folders.map((f) => limit(() => listAll(f))));
  const seen = new Set<string>();
  const out: ObjectEntry[] = [];
  for (const entry of [...objects, ...lists.flat()]) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    out.push(entry);
  }
  return out;
}

/** "2 folders and 3 objects", "1 folder", "4 objects". */
export function describeSelection(folders: number, objects: number): string {
  const part = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
  const parts = [folders > 0 && part(folders, 'folder'), objects > 0 && part(objects, 'object')].filter(
    (p): p is string => Boolean(p),
  );
  return parts.join(' and ');
}

/** The "select all" box: ticked when every row is, half-ticked (`indeterminate`) when some are. */
export function tickState(rows: readonly string[], selected: ReadonlySet<string>): 'all' | 'some' | 'none' {
  const ticked = rows.filter((k) => selected.has(k)).length;
  return ticked === 0 ? 'none' : ticked === rows.length ? 'all' : 'some';
}

/**
 * The selection after a tick on row `index` of `rows` (keys in screen order). A plain tick flips that
 * row; with Shift and an earlier tick (`anchor`, that row's key), every row between the two takes the
 * clicked row's new state, as in a file manager. The anchor is a key, not a position: rows that came
 * or went above it since (an upload finished, the list was fetched again) do not move the range.
 */
export function toggleRows(
  rows: readonly string[],
  selected: ReadonlySet<string>,
  index: number,
  o: { shiftKey: boolean; anchor: string | null },
): Set<string> {
  const next = new Set(selected);
  const key = rows[index];
  if (key === undefined) return next;
  const from = o.anchor === null ? -1 : rows.indexOf(o.anchor);
  if (o.shiftKey && from >= 0) {
    const [a, b] = from < index ? [from, index] : [index, from];
    const on = !selected.has(key);
    for (const k of rows.slice(a, b + 1)) {
      if (on) next.add(k);
      else next.delete(k);
    }
  } else if (next.has(key)) next.delete(key);
  else next.add(key);
  return next;
}

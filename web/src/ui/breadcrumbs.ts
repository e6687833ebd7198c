import { folderLabel, rootLabel, segmentLabel } from './upload-folder.ts';

export interface Crumb {
  label: string;
  /** The full prefix the crumb opens. */
  prefix: string;
}

/**
 * "Bucket / a / b": one crumb for the top (`root`) and one per folder down to `prefix`. A folder with
 * an empty name ("a//") is a crumb of its own, so "a//" is never shown, or opened, as "a/".
 */
export function breadcrumbs(root: string, prefix: string): Crumb[] {
  const crumbs = [{ label: rootLabel(root), prefix: root }];
  const below = prefix.slice(root.length);
  if (below === '') return crumbs;
  let acc = root;
  for (const segment of below.replace(/\/$/, '').split('/')) {
    acc += `${segment}/`;
    crumbs.push({ label: segmentLabel(segment), prefix: acc });
  }
  return crumbs;
}

/** What the trail shows: crumbs, with one gap standing for the folders left out of a long trail. */
export type ShownCrumb = Crumb | { gap: Crumb[] };

/** Trails longer than this are cut in the middle. */
export const MAX_CRUMBS = 4;

/**
 * A long trail cut in the middle, as file managers do: the top, a gap for the folders in between,
 * and the last `MAX_CRUMBS - 2` folders (the parent and the folder shown, so one level up is a click).
 */
export function collapseCrumbs(crumbs: readonly Crumb[], max = MAX_CRUMBS): ShownCrumb[] {
  if (crumbs.length <= max) return [...crumbs];
  const tail = Math.max(1, max - 2);
  const [first] = crumbs;
  return [first!, { gap: crumbs.slice(1, -tail) }, ...crumbs.slice(-tail)];
}

/**
 * `folderLabel` cut in the middle as the breadcrumbs cut a trail of more than `MAX_CRUMBS` levels:
 * "Bucket / … / parent / folder" (a folder 300 levels down took nine lines). Pure.
 */
export function shortFolderLabel(root: string, folder: string): string {
  const levels = folder === '' ? [] : folder.replace(/\/$/, '').split('/').map(segmentLabel);
  if (levels.length + 1 <= MAX_CRUMBS) return folderLabel(root, folder);
  return [root, '…', ...levels.slice(-(MAX_CRUMBS - 2))].join(' / ');
}

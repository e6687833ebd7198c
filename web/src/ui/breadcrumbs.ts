import { rootLabel } from './upload-folder.ts';

export interface Crumb {
  label: string;
  /** The full prefix the crumb opens. */
  prefix: string;
}

/** "Bucket / a / b": one crumb for the top (`root`) and one per folder down to `prefix`. */
export function breadcrumbs(root: string, prefix: string): Crumb[] {
  const crumbs = [{ label: rootLabel(root), prefix: root }];
  let acc = root;
  for (const segment of prefix.slice(root.length).split('/').filter(Boolean)) {
    acc += `${segment}/`;
    crumbs.push({ label: segment, prefix: acc });
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

import { visibleName } from './visible-name.ts';

/**
 * What a rename of one object did, said as the S3 console's banner says it, and where the object is
 * now when that is another folder (the row is gone from this one, and would look lost). Pure.
 */
export function renameSummary(
  name: string,
  newKey: string,
  o: { prefix: string; rootPrefix: string },
): { summary: string; folder: string | null } {
  const cut = newKey.lastIndexOf('/') + 1;
  const newName = newKey.slice(cut);
  const full = newKey.slice(0, cut);
  if (full === o.prefix)
    return { summary: `Renamed “${visibleName(name)}” to “${visibleName(newName)}”.`, folder: null };
  const folder = full.slice(o.rootPrefix.length);
  const where =
    folder === ''
      ? o.rootPrefix
        ? `at the top of “${o.rootPrefix.replace(/\/$/, '')}”`
        : 'at the top of the bucket'
      : `in “${visibleName(folder)}”`;
  return { summary: `Moved “${visibleName(name)}” to “${visibleName(newName)}” ${where}.`, folder };
}

import { renameTarget } from '../shared/rename-target.ts';
import { destinationFolder } from '../shared/copy-target.ts';
import { KeyError, keyUnder, validateListedFolder, validateRelativeKey } from './object-key.ts';

/**
 * The key a rename or move writes: the new path as typed (NFC, as an upload's), relative to `folder`
 * or from the top when it starts with "/" (see `renamedPath`), under `prefix`. The key rules judge
 * what was typed; the folder shown and the object's own name (kept when moving into a folder) stay
 * byte for byte as listed. A ".." (or ".") folder, which a key can hold but which never means "up"
 * in S3, is refused with how to move elsewhere instead. Throws KeyError.
 */
export function keyForRename(prefix: string, folder: string, source: string, newPath: string): string {
  const target = renameTarget(source, newPath.normalize('NFC'));
  const fromTop = target.startsWith('/');
  const path = fromTop ? target.slice(1) : target;
  if (!fromTop) validateListedFolder(folder);
  return explained(prefix, path, () => keyUnder(prefix + (fromTop ? '' : folder), path));
}

/**
 * The folder (relative to `prefix`, '' or ending in "/") a copy or move of many objects goes to:
 * the destination as typed, relative to `base` or from the top (see `destinationFolder`), checked
 * as a path Hoist would write, with the same explanations as a rename's. Throws KeyError.
 */
export function folderForCopy(prefix: string, base: string, typed: string): string {
  if (!typed.startsWith('/')) validateListedFolder(base);
  const folder = destinationFolder(base, typed.normalize('NFC'));
  // What was typed is checked; `base`, the folder shown, stays as listed.
  const checked = typed === '' ? '' : typed.startsWith('/') ? folder : folder.slice(base.length);
  if (checked === '') return folder;
  return explained(prefix, checked, () => {
    validateRelativeKey(checked.slice(0, -1));
    return folder;
  });
}

/** What is wrong with a destination as typed (see folderForCopy), or null: the page says it before sending. */
export function folderForCopyProblem(prefix: string, base: string, typed: string): string | null {
  try {
    folderForCopy(prefix, base, typed);
    return null;
  } catch (error) {
    if (error instanceof KeyError) return error.message;
    throw error;
  }
}

function explained<T>(prefix: string, path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    const top = prefix === '' ? 'the bucket' : `“${prefix.replace(/\/$/, '')}”`;
    if (error.problem === 'dot-segment') {
      const segment = path.split('/').find((s) => s === '.' || s === '..') ?? '..';
      throw new KeyError(
        'dot-segment',
        `The path must not contain "${segment}" as a folder name. To move it out of this folder, start the path with "/", the top of ${top}: "/moved/" moves it into moved/ there, "/" alone to the top.`,
      );
    }
    if (error.problem === 'absolute') {
      throw new KeyError(
        'absolute',
        `A path from the top of ${top} starts with one "/" only (e.g. "/moved/").`,
      );
    }
    throw error;
  }
}

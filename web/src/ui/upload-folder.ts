/**
 * Where uploads land: the folder the object browser shows, as the S3 console does. Folders are
 * relative to the server's key prefix, '' for its top or 'a/b/' (always ending in '/').
 */
import type { UploadFileInput } from '../transfer/upload/index.ts';
import { visibleName } from './visible-name.ts';

/**
 * The same file, keyed under `folder`: a picked folder's own path is kept below it. The folder goes
 * along on its own too, so the server keeps it as listed (a folder another tool named in NFD, or
 * "x//", is the folder shown, not a look-alike).
 */
export function intoFolder(folder: string, input: UploadFileInput): UploadFileInput {
  if (folder === '') return input;
  return { ...input, folder, relativePath: folder + (input.relativePath ?? input.file.name) };
}

// C0 and C1 controls and DEL: the server refuses them in keys.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Folder segments share the key's 1,024 UTF-8 bytes with the file names below them. */
const MAX_FOLDER_NAME_BYTES = 512;

/** Why a typed folder name can't be used, or null when it can. `name` is trimmed by the caller. */
export function folderNameProblem(name: string): string | null {
  if (name === '') return 'Type a name for the folder.';
  if (name.includes('/')) return 'A folder name cannot contain "/". Create one folder at a time.';
  if (name === '.' || name === '..') return `"${name}" cannot be a folder name.`;
  if (CONTROL.test(name)) return 'A folder name cannot contain control characters.';
  if (new TextEncoder().encode(name).length > MAX_FOLDER_NAME_BYTES)
    return `A folder name can be at most ${MAX_FOLDER_NAME_BYTES} bytes long.`;
  return null;
}

/** How a folder with an empty name shows (the "" between the slashes of a key like "a//b" another tool wrote). */
export const EMPTY_FOLDER_LABEL = '“”';

/** One folder's name as the page shows it: an empty one as `EMPTY_FOLDER_LABEL`. */
export function segmentLabel(segment: string): string {
  return segment === '' ? EMPTY_FOLDER_LABEL : visibleName(segment);
}

/**
 * The breadcrumb trail of a folder for display: "Bucket / a / b". A folder with an empty name is
 * named as the breadcrumbs name it ("uploads / “”" for "uploads//"), never dropped: that would name
 * another folder than the one the files go to.
 */
export function folderLabel(rootLabel: string, folder: string): string {
  if (folder === '') return rootLabel;
  return [rootLabel, ...folder.replace(/\/$/, '').split('/').map(segmentLabel)].join(' / ');
}

/** How the top of the browsable keys is called: the server's key prefix, or "Bucket". */
export function rootLabel(rootPrefix: string): string {
  return rootPrefix ? rootPrefix.replace(/\/$/, '') : 'Bucket';
}

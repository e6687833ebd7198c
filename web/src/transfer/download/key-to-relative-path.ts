/**
 * Object key → path inside the folder the user picked. Pure, and the only place that decides where a
 * download lands, so it must never point outside that folder:
 *
 * - the browsed prefix is stripped ("photos/2024/a.jpg" browsed at "photos/" → "2024/a.jpg");
 * - the rest is split on "/" and empty segments are dropped (so "/abs" and "a//b" stay inside);
 * - "." and ".." (any all-dots segment) become underscores, never a step up;
 * - characters no file system accepts (\ : * ? " < > | and control characters) become "_", and so
 *   do trailing dots and spaces (Windows drops them silently); Windows device names (CON, NUL, COM1…)
 *   get a leading "_";
 * - what Chromium's File System Access API refuses besides (base::i18n::IsFilenameLegal, a TypeError
 *   "Name is not allowed." otherwise) becomes "_" too: invisible format characters (Cf: soft hyphen,
 *   zero-width and bidi marks, BOM) and non-characters anywhere, any whitespace, "." or "~" at either
 *   end (one leading "." is kept: ".git"); shell-integrated extensions (.lnk, .scf, .url, .{CLSID})
 *   get a trailing "_";
 * - a segment longer than 255 characters is shortened, keeping its extension;
 * - a name ending in ".hoist-partial" (in any case) gets a trailing "_": that suffix is reserved for
 *   files still being written (fs-access-destination.ts), so no object lands on another's partial name.
 *
 * A key that is only a folder marker ("photos/2024/") maps to null: there is nothing to write.
 */
import { numberedKey, suffixedName } from '../../../../server/shared/numbered-name.ts';
import { truncateUtf8, utf8Length } from '../../../../server/shared/utf8.ts';

/**
 * The longest file or folder name, in UTF-8 bytes: ext4 and APFS allow 255 bytes (NTFS 255 UTF-16
 * units, never more than the bytes), so a name of 100 Japanese characters (300 bytes) is cut too.
 */
export const MAX_SEGMENT_BYTES = 255;

/** What a file is called while it is written ("report.pdf.hoist-partial"); no safe name ends so. */
export const PARTIAL_SUFFIX = '.hoist-partial';
const PARTIAL_AT_END = /\.hoist-partial$/i;

const INVALID_CHARS = /[\\/:*?"<>|\p{Cc}\p{Cf}\p{Noncharacter_Code_Point}]/gu;
/** Refused at either end of a name (after one leading dot). */
const BAD_AT_START = /^[\p{White_Space}.~]+/u;
const BAD_AT_END = /[\p{White_Space}.~]+$/u;
const SHELL_EXTENSION = /\.(lnk|scf|url|\{[^.]*\})$/i;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const underscores = (run: string) => '_'.repeat(run.length);

export function sanitizeSegment(segment: string): string {
  let name = segment.replace(INVALID_CHARS, '_');
  if (/^\.+$/.test(name)) return underscores(name);
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (SHELL_EXTENSION.test(name)) name = `${name}_`;
  if (utf8Length(name) > MAX_SEGMENT_BYTES) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = truncateUtf8(name.slice(0, name.length - ext.length), MAX_SEGMENT_BYTES - utf8Length(ext)) + ext;
  }
  const lead = name.startsWith('.') ? '.' : '';
  name = lead + name.slice(lead.length).replace(BAD_AT_START, underscores).replace(BAD_AT_END, underscores);
  if (!PARTIAL_AT_END.test(name)) return name;
  return `${truncateUtf8(name, MAX_SEGMENT_BYTES - 1)}_`;
}

/** The key below the browsed prefix: what the file would be called if every key were a file name. */
export function stripPrefix(key: string, prefix: string): string {
  if (prefix === '' || !key.startsWith(prefix)) return key;
  // "photos" must not strip "photosX/…"; a prefix ending in "/" (the usual case) always matches whole.
  if (prefix.endsWith('/') || key.length === prefix.length || key[prefix.length] === '/') {
    return key.slice(prefix.length);
  }
  return key;
}

export function keyToRelativePath(key: string, prefix = ''): string | null {
  const segments = stripPrefix(key, prefix)
    .split('/')
    .filter((s) => s !== '')
    .map(sanitizeSegment);
  return segments.length === 0 ? null : segments.join('/');
}

/** What a path is on Windows and macOS, where names equal ignoring case and normalisation are one file. */
export const foldPath = (path: string) => path.normalize('NFC').toLowerCase();

/**
 * Paths for a whole batch, so two objects never land on the same file:
 * - a key that is both an object and a "folder" of others ("a" and "a/b") keeps the folder, and the
 *   object is written as "a (file)" (or "a (file).txt" for "a.txt");
 * - paths equal ignoring case and Unicode normalisation (the same file on Windows and macOS) get
 *   " (1)", " (2)"… in batch order (as "keep both" names a copy), keys that are file paths as they are first: a key made safe
 *   never takes the file name of the object really called so (a folder it makes, "x:y/z" → "x_y/",
 *   still turns an object "x_y" into "x_y (file)", as any folder does).
 * Folder-marker keys map to null.
 */
export function planRelativePaths(keys: readonly string[], prefix = ''): (string | null)[] {
  const base = keys.map((key) => keyToRelativePath(key, prefix));
  const folders = new Set<string>();
  for (const path of base) {
    if (path === null) continue;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(foldPath(parts.slice(0, i).join('/')));
  }
  const taken = new Set<string>();
  const isFree = (p: string) => !taken.has(foldPath(p)) && !folders.has(foldPath(p));
  const planned: (string | null)[] = base.map(() => null);
  // Keys that are file paths as they are get their names first, so one made safe ("a//b.txt",
  // "x:y.txt") never takes the name of the object really called so ("a/b.txt", "x_y.txt").
  const exact = (i: number) => base[i] === stripPrefix(keys[i]!, prefix);
  const order = [...base.keys()].sort((a, b) => Number(exact(b)) - Number(exact(a)) || a - b);
  for (const i of order) {
    const path = base[i];
    if (path === null || path === undefined) continue;
    let candidate = path;
    if (folders.has(foldPath(candidate))) candidate = suffixedName(path, ' (file)', segmentLimit(path));
    const stem = candidate;
    for (let n = 1; !isFree(candidate); n++) candidate = numberedPath(stem, n);
    taken.add(foldPath(candidate));
    planned[i] = candidate;
  }
  return planned;
}

/** The byte limit for a whole path whose last name may be at most MAX_SEGMENT_BYTES. */
const segmentLimit = (path: string) =>
  utf8Length(path.slice(0, path.lastIndexOf('/') + 1)) + MAX_SEGMENT_BYTES;

/** "report.pdf" → "report (n).pdf", its name cut (before the number) to stay a name the disk takes. */
export function numberedPath(path: string, n: number): string {
  return numberedKey(path, n, segmentLimit(path));
}

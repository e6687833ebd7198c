/**
 * Where a copy or move of many objects puts them, as the S3 console's Copy and Move and
 * `aws s3 cp|mv --recursive` do. Pure; shared by the server (which decides) and the page (which
 * shows it beforehand). Folders are relative to the server's key prefix: '' (the top) or ending in "/".
 */

/**
 * The folder a typed destination names: relative to `base` (the folder shown), or from the top when
 * it starts with "/" ("/" alone is the top); a missing final "/" is added ("archive" → "archive/").
 * Empty is `base` itself. Only the first "/" is taken off: the rest is for the key rules to judge.
 */
export function destinationFolder(base: string, typed: string): string {
  if (typed === '') return base;
  const path = typed.endsWith('/') ? typed : `${typed}/`;
  return path.startsWith('/') ? path.slice(1) : base + path;
}

/**
 * The key `key` gets: what follows `from` in it, under `to` instead. `from` is the folder the
 * selection was made in (its objects keep their names, its folders their contents' paths), or the
 * folder itself for a folder rename ("old/" → "new/" turns "old/a.txt" into "new/a.txt").
 * `prefix` is the server's key prefix, which both folders are under.
 */
export function copiedKey(prefix: string, from: string, to: string, key: string): string {
  return prefix + to + key.slice(prefix.length + from.length);
}

/**
 * Why `to` cannot take what was selected in `from` (`folders` ticked there, relative to the
 * prefix), or null. The same folder would copy every object onto itself; a folder cannot go into
 * itself (the S3 console refuses it too: the copy would land in what is being copied).
 */
export function destinationProblem(from: string, to: string, folders: readonly string[]): string | null {
  const label = (f: string) => (f === '' ? 'the top' : `“${f}”`);
  if (to === from) return `The selection is already in ${label(to)}: choose another folder.`;
  const inside = folders.find((f) => to.startsWith(f));
  if (inside === to) return `${label(inside)} cannot go into itself.`;
  if (inside !== undefined) return `${label(inside)} cannot go into itself (${label(to)} is inside it).`;
  return null;
}

/**
 * The folders right under `from` that `keys` lie in (relative to the prefix): what the page ticked
 * to send them, as far as the keys tell. The server judges a destination against them, as the
 * page does against its ticks: "photos/sub/b.jpg" sent from the top is in "photos/", so "photos/sub/"
 * is no destination for it. Keys outside `from` are left out (each is refused on its own).
 */
export function foldersOfKeys(prefix: string, from: string, keys: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix + from)) continue;
    const rest = key.slice(prefix.length + from.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) folders.add(from + rest.slice(0, slash + 1));
  }
  return [...folders];
}

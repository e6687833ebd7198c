/** Names for "keep both": an upload's key, or a download's path in the chosen folder. */

import { utf8Length } from './utf8.ts';

/**
 * "report.pdf" → "report (n).pdf"; "archive.tar.gz" → "archive (n).tar.gz"; folders untouched. With
 * `maxBytes` (S3's 1,024 for a key), the end of the stem gives way to the number, whole characters
 * at a time, so the name still fits; when even one character of it cannot, the answer is longer.
 */
export function numberedKey(key: string, n: number, maxBytes = Infinity): string {
  return suffixedName(key, ` (${n})`, maxBytes);
}

/** The name with `suffix` before its extension: "x.txt" → "x (file).txt"; see `numberedKey`. */
export function suffixedName(key: string, suffix: string, maxBytes = Infinity): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const base = key.slice(slash + 1);
  const m = /^(.+?)((?:\.tar)?\.[^.\s]{1,8})?$/.exec(base);
  const stem = Array.from(m?.[1] ?? base);
  const ext = m?.[2] ?? '';
  const named = () => `${dir}${stem.join('')}${suffix}${ext}`;
  while (stem.length > 1 && utf8Length(named()) > maxBytes) stem.pop();
  return named();
}

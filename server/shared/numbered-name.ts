/** Names for "keep both": an upload's key, or a download's path in the chosen folder. */

/** "report.pdf" → "report (n).pdf"; "archive.tar.gz" → "archive (n).tar.gz"; folders untouched. */
export function numberedKey(key: string, n: number): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const base = key.slice(slash + 1);
  const m = /^(.+?)((?:\.tar)?\.[^.\s]{1,8})?$/.exec(base);
  const stem = m?.[1] ?? base;
  const ext = m?.[2] ?? '';
  return `${dir}${stem} (${n})${ext}`;
}

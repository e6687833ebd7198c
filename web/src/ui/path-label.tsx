import { visibleName } from './visible-name.ts';

/**
 * A path shown as its folders (one line, cut with "…" where long) over its file name (whole, bold): a
 * deep path never hides the name, as a cut at its end did, and a touch screen (no hover title) shows
 * the whole name.
 */
export function PathLabel({ path }: { path: string }) {
  const slash = path.lastIndexOf('/', path.length - 2);
  if (slash < 0) return <span className="name-file">{visibleName(path)}</span>;
  return (
    <>
      <span className="name-dir">{visibleName(path.slice(0, slash + 1))}</span>
      <span className="name-file">{visibleName(path.slice(slash + 1))}</span>
    </>
  );
}

import { visibleName } from './visible-name.ts';

/**
 * A path shown as its folders (one line, cut with "…" where long) over its file name (whole, bold): a
 * deep path never hides the name, as a cut at its end did, and a touch screen (no hover title) shows
 * the whole name. The folders are cut at their start, not their end: the last folders are what tell
 * apart two files of one name in one picked folder (…/high-resolution/ and …/low-resolution/). (The
 * box runs right to left for that; the path itself stays left to right, isolated in its `bdi`.)
 */
export function PathLabel({ path }: { path: string }) {
  const slash = path.lastIndexOf('/', path.length - 2);
  if (slash < 0) return <span className="name-file">{visibleName(path)}</span>;
  return (
    <>
      <span className="name-dir">
        <bdi dir="ltr">{visibleName(path.slice(0, slash + 1))}</bdi>
      </span>
      <span className="name-file">{visibleName(path.slice(slash + 1))}</span>
    </>
  );
}

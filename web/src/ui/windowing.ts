/**
 * Which rows of a long list to render: only those in (or near) the scroll box's view, the rest stood
 * in for by padding of their height. Pure; heights are measured rows or an estimate.
 */

/** Lists up to this long render every row (find-in-page, and nothing to get wrong for a few rows). */
export const FULL_RENDER_MAX = 100;

export interface RowWindow {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Height of the rows above `start`, and below `end`. */
  before: number;
  after: number;
}

/** Top of each row, and the list's height at the end: `offsets[i]`, `offsets[count]`. O(count). */
export function rowOffsets(count: number, heightOf: (index: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + Math.max(0, heightOf(i));
  return offsets;
}

/** The first row whose bottom is below `y` (count when none is). O(log count). */
function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid + 1]! > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function windowRange(
  offsets: Float64Array,
  view: { scrollTop: number; height: number },
  o: { overscanPx: number; minRows: number },
): RowWindow {
  const count = offsets.length - 1;
  const total = offsets[count]!;
  if (count === 0) return { start: 0, end: 0, before: 0, after: 0 };
  const top = Math.min(Math.max(0, view.scrollTop), total);
  let start = Math.min(rowAt(offsets, top - o.overscanPx), count - 1);
  let end = Math.min(count, rowAt(offsets, top + Math.max(0, view.height) + o.overscanPx) + 1);
  if (end - start < o.minRows) {
    end = Math.min(count, start + o.minRows);
    start = Math.max(0, end - o.minRows);
  }
  return { start, end, before: offsets[start]!, after: total - offsets[end]! };
}

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

/** A run of consecutive rows to render, after a spacer standing in for the rows skipped before it. */
export interface RowRun {
  /** First row of the run, and one past its last. */
  start: number;
  end: number;
  /** Height of the rows between the previous run (or the top of the list) and this one. */
  gapBefore: number;
}

/**
 * The rows kept rendered for the row holding focus, wherever the list is scrolled: that row, so focus
 * stays on it, and the nearest rows before and after it with a control Tab stops at (`hasControls`),
 * however far away, so Tab and Shift+Tab go on from it as they would in a list that renders every row
 * (the browser then scrolls the row they reach into view); the rows between have nothing to stop at.
 * With none after it (or before), Tab (or Shift+Tab) leaves the list. O(rows between those rows).
 */
export function focusPins(focused: number, count: number, hasControls: (index: number) => boolean): number[] {
  const pins = [focused];
  for (let i = focused - 1; i >= 0; i--)
    if (hasControls(i)) {
      pins.unshift(i);
      break;
    }
  for (let i = focused + 1; i < count; i++)
    if (hasControls(i)) {
      pins.push(i);
      break;
    }
  return pins;
}

/**
 * The rows kept rendered while focus is outside the list: the first and the last with a control Tab
 * stops at (`hasControls`), where Tab from the page before the list and Shift+Tab from the page after
 * it come in, as they would in a list that renders every row, however far from the rows in view. None
 * when no row has a control: Tab passes the list by. O(rows before the first and after the last).
 */
export function entryPins(count: number, hasControls: (index: number) => boolean): number[] {
  let first = 0;
  while (first < count && !hasControls(first)) first++;
  if (first === count) return [];
  let last = count - 1;
  while (last > first && !hasControls(last)) last--;
  return last === first ? [first] : [first, last];
}

/**
 * What to render: the window's rows and the `pinned` rows (outside it or not), in list order, as runs
 * of consecutive rows, each after the height of the rows skipped before it, and the height of the rows
 * after the last run. A pinned row is where it belongs, between spacers of the rows around it, as
 * TanStack Virtual's `rangeExtractor` keeps a sticky or focused item. Pinned indexes outside the list
 * are ignored. O(window + pinned).
 */
export function rowRuns(
  offsets: Float64Array,
  range: { start: number; end: number },
  pinned: readonly number[],
): { runs: RowRun[]; after: number } {
  const count = offsets.length - 1;
  const spans: { start: number; end: number }[] = [];
  if (range.end > range.start) spans.push({ start: range.start, end: range.end });
  for (const p of pinned)
    if (Number.isInteger(p) && p >= 0 && p < count) spans.push({ start: p, end: p + 1 });
  spans.sort((a, b) => a.start - b.start);
  const runs: RowRun[] = [];
  let last: RowRun | undefined;
  for (const span of spans) {
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
      continue;
    }
    last = { start: span.start, end: span.end, gapBefore: offsets[span.start]! - offsets[last?.end ?? 0]! };
    runs.push(last);
  }
  return { runs, after: offsets[count]! - offsets[last?.end ?? 0]! };
}

/** The indexes of the rows in `runs`, in order. */
export function rowIndexes(runs: readonly RowRun[]): number[] {
  const indexes: number[] = [];
  for (const run of runs) for (let i = run.start; i < run.end; i++) indexes.push(i);
  return indexes;
}

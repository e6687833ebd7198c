import { describe, expect, it } from 'vitest';
import { entryPins, focusPins, rowIndexes, rowOffsets, rowRuns, windowRange } from './windowing.ts';

const opts = { overscanPx: 0, minRows: 1 };
/** Rows that all have a button (the neighbours of the focused row are pinned). */
const every = () => true;

describe('windowRange', () => {
  it('renders only the rows in view of a 10,500-row list, the rest as padding of their height', () => {
    const offsets = rowOffsets(10_500, () => 72);
    const top = windowRange(offsets, { scrollTop: 0, height: 448 }, opts);
    expect(top).toEqual({ start: 0, end: 7, before: 0, after: (10_500 - 7) * 72 });
    const middle = windowRange(offsets, { scrollTop: 72 * 5_000 + 10, height: 448 }, opts);
    expect(middle.start).toBe(5_000);
    expect(middle.end - middle.start).toBeLessThanOrEqual(8);
    expect(middle.before + (middle.end - middle.start) * 72 + middle.after).toBe(10_500 * 72);
  });

  it('adds rows above and below for the overscan, within the list', () => {
    const offsets = rowOffsets(100, () => 50);
    expect(
      windowRange(offsets, { scrollTop: 1_000, height: 200 }, { overscanPx: 100, minRows: 1 }),
    ).toMatchObject({ start: 18, end: 27 });
    expect(windowRange(offsets, { scrollTop: 0, height: 200 }, { overscanPx: 100, minRows: 1 }).start).toBe(
      0,
    );
    const bottom = windowRange(offsets, { scrollTop: 4_800, height: 200 }, { overscanPx: 100, minRows: 1 });
    expect(bottom.end).toBe(100);
    expect(bottom.after).toBe(0);
  });

  it('follows rows of different heights (a row that shows an error or a choice is taller)', () => {
    const heights = [40, 40, 200, 40, 40, 40];
    const offsets = rowOffsets(heights.length, (i) => heights[i]!);
    expect(Array.from(offsets)).toEqual([0, 40, 80, 280, 320, 360, 400]);
    // Scrolled into the tall row: it stays rendered until its bottom leaves the view.
    expect(windowRange(offsets, { scrollTop: 250, height: 50 }, opts)).toEqual({
      start: 2,
      end: 4,
      before: 80,
      after: 80,
    });
  });

  it('renders a few rows before the box is measured, and clamps a scroll past the end', () => {
    const offsets = rowOffsets(1_000, () => 60);
    expect(windowRange(offsets, { scrollTop: 0, height: 0 }, { overscanPx: 0, minRows: 10 })).toMatchObject({
      start: 0,
      end: 10,
    });
    const past = windowRange(offsets, { scrollTop: 1e9, height: 300 }, { overscanPx: 0, minRows: 10 });
    expect(past).toMatchObject({ start: 990, end: 1_000, after: 0 });
  });

  it('is empty for no rows', () => {
    expect(
      windowRange(
        rowOffsets(0, () => 1),
        { scrollTop: 0, height: 100 },
        opts,
      ),
    ).toEqual({
      start: 0,
      end: 0,
      before: 0,
      after: 0,
    });
  });
});

describe('rowRuns', () => {
  const offsets = rowOffsets(1_000, () => 50);
  const total = 1_000 * 50;
  /** Spacers and rows add up to the whole list, in order. */
  const height = ({ runs, after }: ReturnType<typeof rowRuns>) =>
    runs.reduce((sum, r) => sum + r.gapBefore + (offsets[r.end]! - offsets[r.start]!), after);

  it('is the window alone when nothing is pinned, or the pinned rows are in it', () => {
    const window = { start: 100, end: 120 };
    const alone = { runs: [{ start: 100, end: 120, gapBefore: 5_000 }], after: total - 6_000 };
    expect(rowRuns(offsets, window, [])).toEqual(alone);
    expect(rowRuns(offsets, window, focusPins(110, 1_000, every))).toEqual(alone);
  });

  it('keeps the row holding focus, far above the window, where it belongs with its neighbours', () => {
    const plan = rowRuns(offsets, { start: 600, end: 620 }, focusPins(5, 1_000, every));
    expect(plan.runs).toEqual([
      { start: 4, end: 7, gapBefore: 200 },
      { start: 600, end: 620, gapBefore: (600 - 7) * 50 },
    ]);
    expect(rowIndexes(plan.runs)).toEqual([4, 5, 6, ...Array.from({ length: 20 }, (_, j) => 600 + j)]);
    expect(plan.after).toBe((1_000 - 620) * 50);
    expect(height(plan)).toBe(total);
  });

  it('keeps it below the window too, and at either end of the list without a row past it', () => {
    const below = rowRuns(offsets, { start: 0, end: 20 }, focusPins(999, 1_000, every));
    expect(below.runs).toEqual([
      { start: 0, end: 20, gapBefore: 0 },
      { start: 998, end: 1_000, gapBefore: (998 - 20) * 50 },
    ]);
    expect(below.after).toBe(0);
    expect(height(below)).toBe(total);
    const first = rowRuns(offsets, { start: 500, end: 520 }, focusPins(0, 1_000, every));
    expect(first.runs[0]).toEqual({ start: 0, end: 2, gapBefore: 0 });
    expect(height(first)).toBe(total);
  });

  it('joins pinned rows next to or across the edge of the window into one run', () => {
    expect(rowRuns(offsets, { start: 100, end: 120 }, focusPins(121, 1_000, every)).runs).toEqual([
      { start: 100, end: 123, gapBefore: 5_000 },
    ]);
    expect(rowRuns(offsets, { start: 100, end: 120 }, focusPins(98, 1_000, every)).runs).toEqual([
      { start: 97, end: 120, gapBefore: 97 * 50 },
    ]);
  });

  it('follows rows of different heights, and ignores pinned indexes outside the list', () => {
    const heights = [40, 40, 200, 40, 40, 40, 40];
    const uneven = rowOffsets(heights.length, (i) => heights[i]!);
    const plan = rowRuns(uneven, { start: 5, end: 7 }, [-1, 1, 7, 1.5, NaN]);
    expect(plan).toEqual({
      runs: [
        { start: 1, end: 2, gapBefore: 40 },
        { start: 5, end: 7, gapBefore: 200 + 40 + 40 },
      ],
      after: 0,
    });
  });

  it('is empty for no rows', () => {
    expect(
      rowRuns(
        rowOffsets(0, () => 1),
        { start: 0, end: 0 },
        focusPins(0, 0, every),
      ),
    ).toEqual({ runs: [], after: 0 });
  });
});

describe('focusPins', () => {
  /** Rows 3, 400 and 990 of 1,000 have a button; the rest (done) have none. */
  const withButton = new Set([3, 400, 990]);
  const hasControls = (i: number) => withButton.has(i);

  it('pins the focused row and its neighbours when every row has a control', () => {
    expect(focusPins(10, 1_000, every)).toEqual([9, 10, 11]);
    expect(focusPins(0, 1_000, every)).toEqual([0, 1]);
    expect(focusPins(999, 1_000, every)).toEqual([998, 999]);
  });

  it('pins the nearest rows with a control before and after the focused row, however far', () => {
    expect(focusPins(3, 1_000, hasControls)).toEqual([3, 400]);
    expect(focusPins(400, 1_000, hasControls)).toEqual([3, 400, 990]);
    // Focus on a row without a control (its button went): Tab still goes on from it.
    expect(focusPins(500, 1_000, hasControls)).toEqual([400, 500, 990]);
  });

  it('pins nothing past the last row with a control, so Tab leaves the list there', () => {
    expect(focusPins(990, 1_000, hasControls)).toEqual([400, 990]);
    expect(focusPins(5, 10, () => false)).toEqual([5]);
  });

  it('renders the next row with a control, far below the window, after a spacer, where it belongs', () => {
    const offsets = rowOffsets(1_000, () => 50);
    const plan = rowRuns(offsets, { start: 0, end: 20 }, focusPins(3, 1_000, hasControls));
    expect(plan.runs).toEqual([
      { start: 0, end: 20, gapBefore: 0 },
      { start: 400, end: 401, gapBefore: (400 - 20) * 50 },
    ]);
    expect(plan.after).toBe((1_000 - 401) * 50);
  });
});

describe('entryPins', () => {
  it('pins the first and last rows with a control, wherever they are', () => {
    const withButton = new Set([150, 400, 990]);
    expect(entryPins(1_000, (i) => withButton.has(i))).toEqual([150, 990]);
    expect(entryPins(1_000, every)).toEqual([0, 999]);
  });

  it('pins the one row with a control once, and none when no row has one (Tab passes the list by)', () => {
    expect(entryPins(1_000, (i) => i === 7)).toEqual([7]);
    expect(entryPins(1_000, () => false)).toEqual([]);
    expect(entryPins(0, every)).toEqual([]);
  });

  it('renders them where they belong, around a window of rows without a control', () => {
    const offsets = rowOffsets(1_000, () => 50);
    const plan = rowRuns(
      offsets,
      { start: 0, end: 20 },
      entryPins(1_000, (i) => i === 300 || i === 700),
    );
    expect(plan.runs).toEqual([
      { start: 0, end: 20, gapBefore: 0 },
      { start: 300, end: 301, gapBefore: (300 - 20) * 50 },
      { start: 700, end: 701, gapBefore: (700 - 301) * 50 },
    ]);
  });
});

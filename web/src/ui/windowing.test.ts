import { describe, expect, it } from 'vitest';
import { rowOffsets, windowRange } from './windowing.ts';

const opts = { overscanPx: 0, minRows: 1 };

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

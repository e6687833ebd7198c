import { describe, expect, it } from 'vitest';
import {
  compositePartCount,
  layoutFits,
  layoutFromFirstPart,
  layoutOf,
  partSizes,
  partStarts,
  uniformLayout,
} from './part-layout.ts';

describe('part layout', () => {
  it('describes equal parts with a shorter (or equal) last one', () => {
    expect(uniformLayout([5, 5, 3], 13)).toEqual({ partSize: 5, count: 3 });
    expect(uniformLayout([5, 5], 10)).toEqual({ partSize: 5, count: 2 });
    expect(uniformLayout([7], 7)).toEqual({ partSize: 7, count: 1 });
  });

  it('refuses unequal parts, a longer last part, an empty part or a wrong total', () => {
    expect(uniformLayout([10, 5, 15], 30)).toBeNull();
    expect(uniformLayout([5, 6, 5], 16)).toBeNull();
    expect(uniformLayout([5, 6], 11)).toBeNull();
    expect(uniformLayout([5, 0], 5)).toBeNull();
    expect(uniformLayout([5, 5], 11)).toBeNull();
    expect(uniformLayout([], 0)).toBeNull();
  });

  it('reads the part count of a composite value', () => {
    expect(compositePartCount('7Pt3MQ==-3')).toBe(3);
    expect(compositePartCount('7Pt3MQ==')).toBeNull();
  });

  it('checks a layout against the object size', () => {
    expect(layoutFits({ partSize: 5, count: 3 }, 13)).toBe(true);
    expect(layoutFits({ partSize: 5, count: 3 }, 15)).toBe(true);
    expect(layoutFits({ partSize: 5, count: 3 }, 10)).toBe(false);
    expect(layoutFits({ partSize: 5, count: 3 }, 16)).toBe(false);
    expect(layoutFits({ partSize: 0, count: 3 }, 0)).toBe(false);
  });

  it('describes parts of uneven sizes run-length, and uniform ones as two numbers', () => {
    const MiB = 1024 ** 2;
    expect(layoutOf([5, 5, 3], 13)).toEqual({ partSize: 5, count: 3 });
    const uneven = layoutOf([6 * MiB, 5 * MiB, 9 * MiB, 7 * MiB, 12_345], 27 * MiB + 12_345);
    expect(uneven).toEqual({
      partSize: 6 * MiB,
      count: 5,
      runs: [
        [6 * MiB, 1],
        [5 * MiB, 1],
        [9 * MiB, 1],
        [7 * MiB, 1],
        [12_345, 1],
      ],
    });
    expect(layoutOf([10, 10, 5, 5, 5, 12], 47)).toEqual({
      partSize: 10,
      count: 6,
      runs: [
        [10, 2],
        [5, 3],
        [12, 1],
      ],
    });
    expect(layoutOf([5, 6], 12)).toBeNull();
    expect(layoutOf([5, 0, 6], 11)).toBeNull();
    expect(layoutOf([], 0)).toBeNull();
  });

  it('gives 10,000 parts of alternating sizes in 10,000 pairs at most, and few for runs', () => {
    const sizes = Array.from({ length: 10_000 }, (_, i) => (i < 5_000 ? 8 : 6));
    expect(layoutOf(sizes, 70_000)?.runs).toEqual([
      [8, 5_000],
      [6, 5_000],
    ]);
  });

  it('lists every part size and start of a layout, uniform or not', () => {
    expect(partSizes({ partSize: 5, count: 3 }, 13)).toEqual([5, 5, 3]);
    expect(partStarts({ partSize: 5, count: 3 }, 13)).toEqual([0, 5, 10]);
    const uneven = layoutOf([6, 2, 9, 3], 20)!;
    expect(partSizes(uneven, 20)).toEqual([6, 2, 9, 3]);
    expect(partStarts(uneven, 20)).toEqual([0, 6, 8, 17]);
  });

  it('checks an uneven layout against the object size and part count', () => {
    const uneven = layoutOf([6, 2, 9, 3], 20)!;
    expect(layoutFits(uneven, 20)).toBe(true);
    expect(layoutFits(uneven, 21)).toBe(false);
    expect(layoutFits({ ...uneven, count: 5 }, 20)).toBe(false);
    expect(layoutFits({ ...uneven, partSize: 2 }, 20)).toBe(false);
    expect(
      layoutFits(
        {
          partSize: 6,
          count: 2,
          runs: [
            [6, 1],
            [0, 1],
          ],
        },
        6,
      ),
    ).toBe(false);
  });

  it("takes part 1's size as every part's but the last only when the part count agrees", () => {
    expect(layoutFromFirstPart({ size: 8, count: 9 }, 70)).toEqual({ partSize: 8, count: 9 });
    expect(layoutFromFirstPart({ size: 8, count: 5 }, 70)).toBeNull();
    expect(layoutFromFirstPart({ size: 8, count: 10 }, 70)).toBeNull();
    expect(layoutFromFirstPart({ size: 0, count: 1 }, 0)).toBeNull();
  });
});

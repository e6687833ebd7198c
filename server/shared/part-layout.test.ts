import { describe, expect, it } from 'vitest';
import { compositePartCount, layoutFits, uniformLayout } from './part-layout.ts';

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
});

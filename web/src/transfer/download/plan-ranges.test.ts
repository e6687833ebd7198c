import { describe, expect, it } from 'vitest';
import {
  contentRangeMatches,
  parseContentRange,
  planRanges,
  rangeHeader,
  rangeLength,
} from './plan-ranges.ts';

describe('planRanges', () => {
  it('covers the object with contiguous inclusive ranges', () => {
    const ranges = planRanges(25, 10);
    expect(ranges).toEqual([
      { index: 0, start: 0, end: 9 },
      { index: 1, start: 10, end: 19 },
      { index: 2, start: 20, end: 24 },
    ]);
    expect(ranges.map(rangeHeader)).toEqual(['bytes=0-9', 'bytes=10-19', 'bytes=20-24']);
    expect(ranges.reduce((n, r) => n + rangeLength(r), 0)).toBe(25);
  });

  it('handles exact multiples and tiny objects', () => {
    expect(planRanges(20, 10)).toHaveLength(2);
    expect(planRanges(1, 10)).toEqual([{ index: 0, start: 0, end: 0 }]);
    expect(planRanges(0, 10)).toEqual([]);
  });

  it('refuses a non-positive range size', () => {
    expect(() => planRanges(10, 0)).toThrow(RangeError);
  });
});

describe('Content-Range', () => {
  it('parses S3 answers', () => {
    expect(parseContentRange('bytes 0-9/25')).toEqual({ start: 0, end: 9, total: 25 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9, total: null });
  });

  it('rejects malformed or impossible headers', () => {
    expect(parseContentRange(null)).toBeNull();
    expect(parseContentRange('bytes 9-0/25')).toBeNull();
    expect(parseContentRange('bytes 0-25/25')).toBeNull();
    expect(parseContentRange('items 0-9/25')).toBeNull();
    expect(parseContentRange('bytes */25')).toBeNull();
  });

  it('matches only the exact range of an object of the exact size', () => {
    const range = { index: 1, start: 10, end: 19 };
    expect(contentRangeMatches('bytes 10-19/25', range, 25)).toBe(true);
    expect(contentRangeMatches('bytes 10-18/25', range, 25)).toBe(false);
    expect(contentRangeMatches('bytes 0-9/25', range, 25)).toBe(false);
    expect(contentRangeMatches('bytes 10-19/26', range, 25)).toBe(false);
    expect(contentRangeMatches('bytes 10-19/*', range, 25)).toBe(false);
  });
});

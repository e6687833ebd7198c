import { describe, expect, it } from 'vitest';
import { parseRange } from './range.ts';

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-1000', 100, { start: 0, end: 99 }],
    ['bytes=50-1000', 100, { start: 50, end: 99 }],
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it('ignores absent, malformed, reversed and multiple ranges', () => {
    for (const h of [undefined, 'items=0-1', 'bytes=5-1', 'bytes=0-1,3-4', 'bytes=-'])
      expect(parseRange(h, 100)).toBeUndefined();
  });

  it('rejects unsatisfiable ranges with InvalidRange', () => {
    expect(() => parseRange('bytes=100-', 100)).toThrow(expect.objectContaining({ code: 'InvalidRange' }));
    expect(() => parseRange('bytes=0-', 0)).toThrow(expect.objectContaining({ code: 'InvalidRange' }));
    expect(() => parseRange('bytes=-0', 10)).toThrow(expect.objectContaining({ code: 'InvalidRange' }));
    expect(() => parseRange('bytes=102-200', 100)).toThrow(
      expect.objectContaining({ details: { RangeRequested: 'bytes=102-200', ActualObjectSize: '100' } }),
    );
  });
});

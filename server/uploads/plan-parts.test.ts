import { describe, expect, it } from 'vitest';
import { PREFERRED_PART_SIZE, partLength, planParts } from './plan-parts.ts';
import { MAX_PARTS, MIN_PART_SIZE } from '../shared/s3-limits.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('planParts', () => {
  it('uses one PUT for files up to the preferred part size, including empty files', () => {
    expect(planParts(0)).toEqual({ kind: 'single', partSize: 0, partCount: 1 });
    expect(planParts(PREFERRED_PART_SIZE)).toEqual({
      kind: 'single',
      partSize: PREFERRED_PART_SIZE,
      partCount: 1,
    });
  });

  it('uses 5 MiB parts above that', () => {
    expect(planParts(PREFERRED_PART_SIZE + 1)).toEqual({
      kind: 'multipart',
      partSize: 5 * MiB,
      partCount: 2,
    });
    expect(planParts(GiB)).toEqual({ kind: 'multipart', partSize: 5 * MiB, partCount: 205 });
  });

  it('grows the part size in whole MiB so no file needs more than 10,000 parts', () => {
    for (const size of [80 * GiB, 100 * GiB + 1, 1024 * GiB, 5 * 1024 * GiB]) {
      const plan = planParts(size);
      expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
      expect(plan.partSize % MiB).toBe(0);
      expect(plan.partSize).toBeGreaterThanOrEqual(MIN_PART_SIZE);
      expect(plan.partSize * plan.partCount).toBeGreaterThanOrEqual(size);
    }
  });

  it('refuses negative, fractional and impossible sizes', () => {
    expect(() => planParts(-1)).toThrow(RangeError);
    expect(() => planParts(1.5)).toThrow(RangeError);
    expect(() => planParts(MAX_PARTS * 5 * GiB + 1)).toThrow(RangeError);
  });

  it('gives every part its exact length, the last one shorter', () => {
    const size = 12 * MiB + 3;
    const { partSize, partCount } = planParts(size);
    const lengths = Array.from({ length: partCount }, (_, i) => partLength(size, partSize, i + 1));
    expect(lengths).toEqual([5 * MiB, 5 * MiB, 2 * MiB + 3]);
    expect(lengths.reduce((a, b) => a + b)).toBe(size);
  });
});

import { describe, expect, it } from 'vitest';
import { COPY_PART_SIZE, planCopy, SINGLE_COPY_LIMIT } from './plan-copy.ts';

const GiB = 1024 ** 3;

describe('planCopy', () => {
  it('copies up to 5 GiB in one CopyObject', () => {
    expect(planCopy(0)).toEqual({ kind: 'single' });
    expect(planCopy(SINGLE_COPY_LIMIT)).toEqual({ kind: 'single' });
  });

  it('splits bigger objects into contiguous ranges that cover every byte once', () => {
    const size = 5 * GiB + 1;
    const plan = planCopy(size);
    if (plan.kind !== 'multipart') throw new Error('expected multipart');
    expect(plan.ranges).toHaveLength(11);
    expect(plan.ranges[0]).toEqual({ partNumber: 1, first: 0, last: COPY_PART_SIZE - 1 });
    expect(plan.ranges.at(-1)).toEqual({ partNumber: 11, first: 10 * COPY_PART_SIZE, last: size - 1 });
    plan.ranges.forEach((r, i) => i > 0 && expect(r.first).toBe(plan.ranges[i - 1]!.last + 1));
  });

  it('grows the parts so 5 TiB stays within 10,000 of them', () => {
    const plan = planCopy(5 * 1024 * GiB);
    if (plan.kind !== 'multipart') throw new Error('expected multipart');
    expect(plan.ranges.length).toBeLessThanOrEqual(10_000);
    expect(plan.ranges.at(-1)!.last).toBe(5 * 1024 * GiB - 1);
  });

  it('takes smaller limits for tests', () => {
    const plan = planCopy(12, { singleLimit: 5, partSize: 5 });
    expect(plan).toEqual({
      kind: 'multipart',
      ranges: [
        { partNumber: 1, first: 0, last: 4 },
        { partNumber: 2, first: 5, last: 9 },
        { partNumber: 3, first: 10, last: 11 },
      ],
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles its ceiling per attempt from the base up to the cap (full jitter below it)', () => {
    const max = (attempt: number) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(max)).toEqual([499, 999, 1999, 3999, 7999, 15999, 19999, 19999]);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });

  it('always stays within [0, min(cap, base·2^(n-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (n, r) => {
          const delay = backoffDelay(n, DEFAULT_BACKOFF, () => r);
          return delay >= 0 && delay < Math.min(20_000, 500 * 2 ** (n - 1));
        },
      ),
    );
  });
});

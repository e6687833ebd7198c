import { describe, expect, it } from 'vitest';
import { secondsLeft } from './use-seconds-left.ts';

describe('secondsLeft', () => {
  it('counts whole seconds up, so the last one shows 1 until it is over', () => {
    expect(secondsLeft(60_000, 0)).toBe(60);
    expect(secondsLeft(60_000, 1)).toBe(60);
    expect(secondsLeft(60_000, 59_001)).toBe(1);
    expect(secondsLeft(60_000, 60_000)).toBe(0);
  });

  it('is 0 once past, and with no wait at all', () => {
    expect(secondsLeft(1_000, 5_000)).toBe(0);
    expect(secondsLeft(null, 5_000)).toBe(0);
  });
});

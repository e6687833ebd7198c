import { describe, expect, it } from 'vitest';
import { CLOCK_OFFSET_USED_MS, describeClockOffset, usableClockOffset } from './store-clock.ts';

describe('usableClockOffset', () => {
  it("takes a store clock minutes away from this server's", () => {
    expect(usableClockOffset(20 * 60_000)).toBe(20 * 60_000);
    expect(usableClockOffset(-7 * 60_000)).toBe(-7 * 60_000);
    expect(usableClockOffset(CLOCK_OFFSET_USED_MS)).toBe(CLOCK_OFFSET_USED_MS);
  });

  it("leaves the Date header's rounding to whole seconds, and what the SDK has not learned, at 0", () => {
    expect(usableClockOffset(-999)).toBe(0);
    expect(usableClockOffset(CLOCK_OFFSET_USED_MS - 1)).toBe(0);
    expect(usableClockOffset(0)).toBe(0);
    expect(usableClockOffset(undefined)).toBe(0);
    expect(usableClockOffset(Number.NaN)).toBe(0);
    expect(usableClockOffset('1200000')).toBe(0);
  });
});

describe('describeClockOffset', () => {
  it('says minutes, or seconds under one, and which way', () => {
    expect(describeClockOffset(20 * 60_000 + 10_000)).toBe('20 min ahead of');
    expect(describeClockOffset(-25_000)).toBe('25 s behind');
    expect(describeClockOffset(-45_000)).toBe('1 min behind');
  });
});

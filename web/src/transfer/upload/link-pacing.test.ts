import { describe, expect, it } from 'vitest';
import {
  linkRateAfterStall,
  nextLinkRate,
  partDeadlineMs,
  pacedPartsInFlight,
  partSlots,
  SLOW_START_PARTS,
} from './link-pacing.ts';

const MiB = 1024 * 1024;
const kbit = 1000 / 8; // bytes per second
const floor = { stallTimeoutMs: 60_000, minBytesPerSecond: 32 * 1024 };

describe('pacedPartsInFlight', () => {
  it('is the configured concurrency until the link is measured, and on a fast link', () => {
    expect(pacedPartsInFlight(0, 5 * MiB, 6)).toBe(6);
    expect(pacedPartsInFlight(100 * MiB, 5 * MiB, 6)).toBe(6);
  });

  it('lets fewer parts share a slow link, so each finishes in about half a minute, at least one', () => {
    expect(pacedPartsInFlight(512 * kbit, 5 * MiB, 6)).toBe(1);
    expect(pacedPartsInFlight(2_000 * kbit, 5 * MiB, 6)).toBe(1);
    expect(pacedPartsInFlight(8_000 * kbit, 5 * MiB, 6)).toBe(5);
    expect(pacedPartsInFlight(16_000 * kbit, 5 * MiB, 6)).toBe(6);
    expect(pacedPartsInFlight(8_000 * kbit, 10 * MiB, 6)).toBe(2);
  });
});

describe('partSlots', () => {
  const unmeasured = { linkBytesPerSecond: 0, partBytes: 0, concurrency: 6, stallCap: 6 };

  it('is one part across all files until a part has gone through (slow start), whatever else is known', () => {
    expect(SLOW_START_PARTS).toBe(1);
    expect(partSlots({ ...unmeasured, partSent: false })).toBe(1);
    // A stall before any part was through measured the link a little: still one at a time.
    expect(
      partSlots({ ...unmeasured, partSent: false, linkBytesPerSecond: 100 * MiB, partBytes: 5 * MiB }),
    ).toBe(1);
    expect(partSlots({ ...unmeasured, partSent: false, concurrency: 1 })).toBe(1);
  });

  it('then the paced concurrency: all of it on a fast or unmeasured link, fewer on a slow one', () => {
    expect(partSlots({ ...unmeasured, partSent: true })).toBe(6);
    expect(
      partSlots({ ...unmeasured, partSent: true, linkBytesPerSecond: 100 * MiB, partBytes: 5 * MiB }),
    ).toBe(6);
    expect(
      partSlots({ ...unmeasured, partSent: true, linkBytesPerSecond: 512 * kbit, partBytes: 5 * MiB }),
    ).toBe(1);
  });

  it('never more than the cap since the last stall', () => {
    expect(partSlots({ ...unmeasured, partSent: true, stallCap: 3 })).toBe(3);
    expect(
      partSlots({
        ...unmeasured,
        partSent: true,
        stallCap: 2,
        linkBytesPerSecond: 100 * MiB,
        partBytes: 5 * MiB,
      }),
    ).toBe(2);
  });
});

describe('partDeadlineMs', () => {
  it('is the stall timeout plus the part at the floor speed for one part, or on a fast link', () => {
    expect(partDeadlineMs(5 * MiB, { ...floor, linkBytesPerSecond: 0, inFlight: 1 })).toBe(220_000);
    expect(partDeadlineMs(5 * MiB, { ...floor, linkBytesPerSecond: 100 * MiB, inFlight: 6 })).toBe(220_000);
  });

  it('unmeasured, takes the floor speed as the whole link, shared by the parts in flight', () => {
    expect(partDeadlineMs(5 * MiB, { ...floor, linkBytesPerSecond: 0, inFlight: 6 })).toBe(60_000 + 960_000);
  });

  it('gives a part on a slow shared link twice its share of the time: six 5 MiB parts at 512 kbit/s', () => {
    // Each gets about 10.7 KB/s and needs about 8 minutes; it may take twice that before it counts as stalled.
    const deadline = partDeadlineMs(5 * MiB, { ...floor, linkBytesPerSecond: 512 * kbit, inFlight: 6 });
    const needs = (5 * MiB) / ((512 * kbit) / 6);
    expect(deadline).toBe(60_000 + Math.ceil(2 * needs * 1000));
  });

  it('stays finite on a link measured near zero', () => {
    expect(partDeadlineMs(5 * MiB, { ...floor, linkBytesPerSecond: 1, inFlight: 6 })).toBe(
      60_000 + 5 * 1024 * 1000,
    );
  });
});

describe('linkRateAfterStall', () => {
  it('is at most half of what would have carried the stalled part in the time it had', () => {
    // Measured at 100 MiB/s, then six 5 MiB parts not through after 60 s: the link carries far less now.
    const after = linkRateAfterStall(100 * MiB, 5 * MiB, 6, 60_000);
    expect(after).toBeCloseTo((5 * MiB * 6) / 60 / 2, 3);
    expect(linkRateAfterStall(1000, 5 * MiB, 6, 60_000)).toBe(500);
    expect(linkRateAfterStall(0, 5 * MiB, 1, 220_000)).toBeCloseTo((5 * MiB) / 220 / 2, 3);
  });
});

describe('nextLinkRate', () => {
  it('is what a big part shows of the whole link, shared with the parts beside it, averaged with the last', () => {
    // Six 5 MiB parts at once on a 512 kbit/s link: each took about 8 minutes.
    const rate = nextLinkRate(0, 5 * MiB, 6, ((5 * MiB) / ((512 * kbit) / 6)) * 1000);
    expect(rate).toBeCloseTo(512 * kbit, 0);
    expect(nextLinkRate(rate, 5 * MiB, 1, ((5 * MiB) / (256 * kbit)) * 1000)).toBeCloseTo(384 * kbit, 0);
  });

  it('ignores parts too small to time the bandwidth', () => {
    expect(nextLinkRate(1000, 100_000, 6, 50)).toBe(1000);
    expect(nextLinkRate(0, 5 * MiB, 1, 0)).toBe(0);
  });
});

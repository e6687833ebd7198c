import { describe, expect, it } from 'vitest';
import {
  addSpeedSample,
  etaSeconds,
  restartSpeed,
  SPEED_WINDOW_MS,
  speedMoved,
  speedExpecting,
  speedStalled,
  startSpeed,
} from './speed.ts';
import { STALL_MS } from './throughput.ts';

describe('speed and ETA', () => {
  it('takes the first sample as it is', () => {
    const s = addSpeedSample(startSpeed(0), 1_000_000, 2_000);
    expect(s.bytesPerSecond).toBe(500_000);
  });

  it('converges to a steady rate and weighs by time, not by sample count', () => {
    let s = startSpeed(0);
    for (let t = 1_000; t <= 60_000; t += 1_000) s = addSpeedSample(s, 1_000_000, t);
    expect(s.bytesPerSecond).toBeCloseTo(1_000_000, -3);
    // Many parts finishing together (dt → 0) do not spike the estimate.
    let burst = s;
    for (let i = 0; i < 6; i++) burst = addSpeedSample(burst, 1_000_000, 61_000);
    expect(burst.bytesPerSecond).toBeLessThan(3_000_000);
  });

  it('reads parts sent side by side at their full rate as soon as they are in, not a sixth of it', () => {
    // Six 5 MB parts started together at 0 on a 6 MB/s link: each took 5 s, and they end together.
    let s = startSpeed(0);
    for (let i = 0; i < 6; i++) s = addSpeedSample(s, 5_000_000, 5_000 + i * 20);
    expect(s.bytesPerSecond).toBeGreaterThan(5_500_000);
    expect(s.bytesPerSecond).toBeLessThan(6_500_000);
  });

  it('moves toward a new rate gradually', () => {
    let s = addSpeedSample(startSpeed(0), 1_000_000, 1_000);
    s = addSpeedSample(s, 100_000, 2_000);
    expect(s.bytesPerSecond).toBeLessThan(1_000_000);
    expect(s.bytesPerSecond).toBeGreaterThan(100_000);
  });

  it('does not count paused time once restarted', () => {
    let s = addSpeedSample(startSpeed(0), 1_000_000, 1_000);
    s = restartSpeed(s, 100_000);
    s = addSpeedSample(s, 1_000_000, 101_000);
    expect(s.bytesPerSecond).toBeCloseTo(1_000_000);
  });

  it('says what the last seconds carried, not an older rate', () => {
    // 20 s at 10 MB/s, then the link drops to 100 KB/s: a window later only that is left.
    let s = startSpeed(0);
    for (let t = 500; t <= 20_000; t += 500) s = addSpeedSample(s, 5_000_000, t);
    expect(s.bytesPerSecond).toBeCloseTo(10_000_000, -4);
    for (let t = 20_500; t <= 20_000 + SPEED_WINDOW_MS + 500; t += 500) s = addSpeedSample(s, 50_000, t);
    expect(s.bytesPerSecond).toBeCloseTo(100_000, -3);
  });

  it('takes no speed from a window carrying less than `minBytes`: the speed stays what it was', () => {
    let s = restartSpeed(addSpeedSample(startSpeed(0), 5_000_000, 2_500), 5_000);
    // A last part of 3 bytes, confirmed 11 s after the restart while full parts were on their way.
    s = addSpeedSample(s, 3, 16_000, 5_000_000);
    expect(s.bytesPerSecond).toBe(0);
    expect(etaSeconds(16_000_000, s.bytesPerSecond)).toBeNull();
    // A full part then carries the window: a speed again.
    s = addSpeedSample(s, 5_000_000, 17_000, 5_000_000);
    expect(s.bytesPerSecond).toBeCloseTo(5_000_003 / 12, 0);
    // Past a full part, a small sample moves the speed as any other.
    s = addSpeedSample(s, 3, 18_000, 5_000_000);
    expect(s.bytesPerSecond).toBeCloseTo(5_000_006 / 13, 0);
    // Before any restart, a small sample keeps the speed the window had.
    const kept = addSpeedSample(addSpeedSample(startSpeed(0), 5_000_000, 60_000), 3, 61_000, 5_000_000);
    expect(kept.bytesPerSecond).toBeCloseTo(5_000_003 / 61, 0);
  });

  it('starts a new batch from its own bytes: tiny files after a big one read their own rate', () => {
    // A 20 MB file at 10 MB/s, then, 3 s later, 500 files of 200 B, one every 50 ms (4 KB/s).
    let s = startSpeed(0);
    for (let t = 250; t <= 2_000; t += 250) s = addSpeedSample(s, 2_500_000, t);
    s = restartSpeed(s, 5_000);
    expect(s.bytesPerSecond).toBe(0);
    for (let t = 5_050; t <= 6_000; t += 50) s = addSpeedSample(s, 200, t);
    expect(s.bytesPerSecond).toBeCloseTo(4_000, -2);
  });

  it('is stalled once no bytes came for STALL_MS, and moves again with the next bytes', () => {
    let s = addSpeedSample(startSpeed(0), 1_000_000, 1_000);
    expect(speedStalled(s, 1_000 + STALL_MS - 1)).toBe(false);
    s = addSpeedSample(s, 0, 1_000 + STALL_MS); // a sample with nothing new (a download's heartbeat)
    expect(speedStalled(s, 1_000 + STALL_MS)).toBe(true);
    expect(speedStalled(speedMoved(s, 7_000), 7_000)).toBe(false); // an upload's parts in flight grew
    s = addSpeedSample(s, 1_000, 8_000);
    expect(speedStalled(s, 8_000)).toBe(false);
    expect(speedStalled(restartSpeed(s, 20_000), 20_000)).toBe(false);
  });

  it("is stalled only half a part's expected time after an upload's estimate stopped, when that is longer than STALL_MS", () => {
    let s = addSpeedSample(startSpeed(0), 1_000, 60_000); // a part a minute
    s = speedExpecting(s, 60_000);
    expect(speedStalled(s, 60_000 + 29_999)).toBe(false);
    expect(speedStalled(s, 60_000 + 30_000)).toBe(true);
    s = speedExpecting(s, null); // not known: the last word stands
    expect(s.stallMs).toBe(30_000);
    s = speedExpecting(s, 1_000); // a fast link: never sooner than STALL_MS
    expect(speedStalled(s, 60_000 + STALL_MS)).toBe(true);
  });

  it('gives an ETA in whole seconds, or null without a speed', () => {
    expect(etaSeconds(10_000_000, 1_000_000)).toBe(10);
    expect(etaSeconds(1, 1_000_000)).toBe(1);
    expect(etaSeconds(0, 0)).toBe(0);
    expect(etaSeconds(5, 0)).toBeNull();
  });
});

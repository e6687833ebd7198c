import { describe, expect, it } from 'vitest';
import { addSpeedSample, etaSeconds, restartSpeed, startSpeed } from './speed.ts';

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

  it('gives an ETA in whole seconds, or null without a speed', () => {
    expect(etaSeconds(10_000_000, 1_000_000)).toBe(10);
    expect(etaSeconds(1, 1_000_000)).toBe(1);
    expect(etaSeconds(0, 0)).toBe(0);
    expect(etaSeconds(5, 0)).toBeNull();
  });
});

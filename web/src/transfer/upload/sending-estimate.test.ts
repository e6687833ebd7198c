import { describe, expect, it } from 'vitest';
import {
  advance,
  ESTIMATE_CAP,
  expectedPartMs,
  measuredRate,
  partDone,
  partDropped,
  partRetrying,
  partsInFlight,
  partStarted,
  sendingBytes,
  startSending,
  type SendingState,
} from './sending-estimate.ts';

const MB = 1_000_000;

/** Part 1 of file `f` alone on a 1 MB/s link: 5 MB in 5 s. */
function afterFirstPart(): SendingState {
  let s = partStarted(startSending(0), 'f', 1, 5 * MB, 0);
  s = partDone(s, 'f', 1, 5_000);
  return s;
}

describe('sending estimate', () => {
  it('estimates nothing before a part has completed: there is no measured rate to go by', () => {
    let s = partStarted(startSending(0), 'f', 1, 5 * MB, 0);
    for (let t = 250; t <= 10_000; t += 250) s = advance(s, t);
    expect(measuredRate(s)).toBe(0);
    expect(sendingBytes(s, 'f')).toBe(0);
  });

  it('credits each part in flight its share of the measured rate', () => {
    let s = afterFirstPart();
    expect(measuredRate(s)).toBe(MB);
    for (let n = 2; n <= 7; n++) s = partStarted(s, 'f', n, 5 * MB, 5_000);
    s = partStarted(s, 'g', 1, 5 * MB, 5_000); // another file's part shares the link too
    s = advance(s, 12_000); // 7 s × 1 MB/s over 7 parts
    expect(sendingBytes(s, 'f')).toBe(6 * MB);
    expect(sendingBytes(s, 'g')).toBe(MB);
  });

  it('never goes past 95 % of a part, and never backwards while the part is in flight', () => {
    let s = partStarted(afterFirstPart(), 'f', 2, 5 * MB, 5_000);
    let last = 0;
    for (let t = 5_250; t <= 20_000; t += 250) {
      s = advance(s, t);
      expect(sendingBytes(s, 'f')).toBeGreaterThanOrEqual(last);
      last = sendingBytes(s, 'f');
    }
    expect(last).toBe(Math.floor(5 * MB * ESTIMATE_CAP));
    // A slower part completing meanwhile lowers the rate: the others slow down, they do not go back.
    s = partStarted(s, 'f', 3, 5 * MB, 20_000);
    s = advance(s, 22_000);
    const before = sendingBytes(s, 'f');
    s = partStarted(s, 'g', 1, MB, 22_000);
    s = partDone(s, 'g', 1, 60_000);
    expect(measuredRate(s)).toBeLessThan(MB);
    expect(sendingBytes(s, 'f')).toBeGreaterThan(before);
  });

  it('a completed part becomes its real size (a step up); a failed one is dropped, the others stay', () => {
    let s = afterFirstPart();
    s = partStarted(s, 'f', 2, 5 * MB, 5_000);
    s = partStarted(s, 'f', 3, 5 * MB, 5_000);
    s = advance(s, 9_000);
    expect(sendingBytes(s, 'f')).toBe(4 * MB);
    s = partDropped(s, 'f', 3, 9_000);
    expect(sendingBytes(s, 'f')).toBe(2 * MB);
    s = partDone(s, 'f', 2, 9_000);
    expect(sendingBytes(s, 'f')).toBe(0); // the 5 MB are confirmed bytes now, counted by the caller
    expect(partDropped(s, 'f', 9, 9_000)).toBe(s);
  });

  it('a part tried again holds what it showed until its next attempt gets past it, then goes on', () => {
    let s = afterFirstPart();
    s = partStarted(s, 'f', 2, 5 * MB, 5_000);
    s = partStarted(s, 'f', 3, 5 * MB, 5_000);
    s = advance(s, 9_000);
    expect(sendingBytes(s, 'f')).toBe(4 * MB);
    s = partRetrying(s, 'f', 3, 9_000);
    expect(sendingBytes(s, 'f')).toBe(4 * MB); // no step back
    expect(partsInFlight(s)).toBe(1);
    // During the backoff the part in flight alone takes the whole rate; the held one stays put.
    s = advance(s, 10_000);
    expect(sendingBytes(s, 'f')).toBe(5 * MB);
    s = partStarted(s, 'f', 3, 5 * MB, 10_000);
    s = advance(s, 11_000); // 0.5 MB each: part 3's new attempt is still under the 2 MB it showed
    expect(sendingBytes(s, 'f')).toBe(5.5 * MB);
    s = advance(s, 15_000); // part 3 at 2.5 MB now, past what it held
    expect(sendingBytes(s, 'f')).toBe(Math.floor(4.75 * MB + 2.5 * MB));
    // Failing for good (or an abort) drops it and what it held: the bar falls to what S3 has.
    s = partRetrying(s, 'f', 3, 15_000);
    s = partDropped(s, 'f', 3, 15_000);
    expect(sendingBytes(s, 'f')).toBe(Math.floor(4.75 * MB));
  });

  it('measures parts finishing together over the time they took, not as a burst', () => {
    let s = afterFirstPart();
    for (let n = 2; n <= 7; n++) s = partStarted(s, 'f', n, 5 * MB, 5_000);
    for (let n = 2; n <= 7; n++) s = partDone(s, 'f', n, 35_000 + n); // 30 MB in 30 s
    expect(measuredRate(s)).toBeGreaterThan(0.95 * MB);
    expect(measuredRate(s)).toBeLessThan(1.05 * MB);
  });

  it('does not count time with nothing in flight, nor offline time', () => {
    let s = afterFirstPart();
    s = advance(s, 60_000); // idle
    s = partStarted(s, 'f', 2, 5 * MB, 60_000);
    s = advance(s, 70_000, false); // offline: nothing credited, and not busy
    expect(sendingBytes(s, 'f')).toBe(0);
    s = advance(s, 71_000);
    expect(sendingBytes(s, 'f')).toBe(MB);
    s = partDone(s, 'f', 2, 75_000); // 5 MB in 5 s of sending
    expect(measuredRate(s)).toBeCloseTo(MB, 3);
  });

  it('expects each part in flight to take its size at its share of the measured rate', () => {
    let s = afterFirstPart(); // 1 MB/s
    expect(expectedPartMs(s, 'f')).toBeNull(); // none in flight
    s = partStarted(s, 'f', 2, 5 * MB, 5_000);
    s = partStarted(s, 'g', 1, 2 * MB, 5_000);
    expect(expectedPartMs(s, 'f')).toBe(10_000); // 5 MB at 0.5 MB/s
    expect(expectedPartMs(s, 'g')).toBe(4_000);
    expect(expectedPartMs(partStarted(startSending(0), 'f', 1, MB, 0), 'f')).toBeNull(); // no rate yet
  });
});

import { describe, expect, it } from 'vitest';
import { addSpeedSample, etaSeconds, startSpeed } from './speed.ts';
import {
  EMPTY_WINDOW,
  RATE_WINDOW_MS,
  STALL_MS,
  addRateSample,
  completionRates,
  estimateEta,
  sinceMoved,
  windowRates,
  type RateWindow,
} from './throughput.ts';

/** Samples every `stepMs` of a steady run: `filesPerSecond` files of `fileBytes` each. */
function steadyRun(o: {
  from: number;
  to: number;
  stepMs: number;
  filesPerSecond: number;
  fileBytes: number;
}) {
  let window: RateWindow = EMPTY_WINDOW;
  for (let at = o.from; at <= o.to; at += o.stepMs) {
    const files = Math.floor(((at - o.from) / 1000) * o.filesPerSecond);
    window = addRateSample(window, { at, bytes: files * o.fileBytes, files });
  }
  return window;
}

describe('time left for many small files', () => {
  // The reviewer's folder: 10,500 objects of about 1.75 KB took about 8 min (21.9 files/s).
  const files = 10_500;
  const fileBytes = 1_750;
  const filesPerSecond = 21.9;

  it('a byte rate averaged from when the page opened reads hours (the bug, for the record)', () => {
    // The page was opened a minute before the click; the first files came in 50 ms after it.
    let speed = startSpeed(0);
    speed = addSpeedSample(speed, fileBytes, 60_050);
    expect(etaSeconds(files * fileBytes, speed.bytesPerSecond)!).toBeGreaterThan(24 * 3600);
    for (let at = 60_100; at <= 60_300; at += 50) speed = addSpeedSample(speed, fileBytes * 1.1, at);
    expect(etaSeconds(files * fileBytes, speed.bytesPerSecond)!).toBeGreaterThan(3600);
  });

  it('reads about 8 minutes for the 10,500-file folder after a few seconds, whenever the page opened', () => {
    const window = steadyRun({ from: 60_000, to: 65_000, stepMs: 50, filesPerSecond, fileBytes });
    const done = Math.floor(5 * filesPerSecond);
    const eta = estimateEta({ bytes: (files - done) * fileBytes, files: files - done }, windowRates(window));
    const truth = (files - done) / filesPerSecond; // 474 s
    expect(eta).toBeGreaterThan(truth * 0.9);
    expect(eta).toBeLessThan(truth * 1.1);
  });

  it('says nothing until a few samples over a few seconds are in', () => {
    const early = steadyRun({ from: 0, to: 1_000, stepMs: 50, filesPerSecond, fileBytes });
    expect(windowRates(early).settled).toBe(false);
    expect(estimateEta({ bytes: 1e6, files: 500 }, windowRates(early))).toBeNull();
    const later = steadyRun({ from: 0, to: 2_500, stepMs: 50, filesPerSecond, fileBytes });
    expect(windowRates(later).settled).toBe(true);
  });

  it('takes the larger of the byte and the file estimate: small files left after big ones cost their requests', () => {
    // Big files went at 50 MB/s, 2 files/s; 1,000 tiny files are left (1 MB): not 0.02 s.
    const rates = { bytesPerSecond: 50e6, filesPerSecond: 2, settled: true };
    expect(estimateEta({ bytes: 1e6, files: 1_000 }, rates)).toBe(500);
    // One big file running and none finished in the window: the byte rate alone.
    expect(estimateEta({ bytes: 100e6, files: 1 }, { ...rates, filesPerSecond: 0 })).toBe(2);
  });

  it('is 0 when nothing is left and null when nothing moved (stalled)', () => {
    expect(
      estimateEta({ bytes: 0, files: 0 }, { bytesPerSecond: 0, filesPerSecond: 0, settled: false }),
    ).toBe(0);
    expect(
      estimateEta({ bytes: 10, files: 1 }, { bytesPerSecond: 0, filesPerSecond: 0, settled: true }),
    ).toBeNull();
  });
});

describe('the rate window', () => {
  it('stays small at any sample rate and spans about the window', () => {
    const window = steadyRun({ from: 0, to: 120_000, stepMs: 10, filesPerSecond: 10, fileBytes: 100 });
    expect(window.length).toBeLessThan(RATE_WINDOW_MS / 250 + 6);
    const span = window[window.length - 1]!.at - window[0]!.at;
    expect(span).toBeGreaterThanOrEqual(RATE_WINDOW_MS);
    expect(span).toBeLessThan(RATE_WINDOW_MS + 500);
    expect(windowRates(window).filesPerSecond).toBeCloseTo(10, 0);
  });

  it('starts again after an idle gap, so the wait does not read as a slow link', () => {
    let window = steadyRun({ from: 0, to: 10_000, stepMs: 100, filesPerSecond: 10, fileBytes: 100 });
    window = addRateSample(window, { at: 70_000, bytes: 10_000, files: 100 });
    expect(window).toHaveLength(1);
    for (let at = 70_100; at <= 73_000; at += 100) {
      const files = 100 + Math.floor((at - 70_000) / 100);
      window = addRateSample(window, { at, bytes: files * 100, files });
    }
    expect(windowRates(window).filesPerSecond).toBeCloseTo(10, 0);
  });

  it('decays to nothing while nothing moves', () => {
    let window = steadyRun({ from: 0, to: 10_000, stepMs: 1_000, filesPerSecond: 10, fileBytes: 100 });
    for (let at = 11_000; at <= 31_000; at += 1_000)
      window = addRateSample(window, { at, bytes: 10_000, files: 100 });
    expect(windowRates(window).bytesPerSecond).toBe(0);
  });
});

describe('how long nothing moved', () => {
  it('counts from the first sample that holds the last counts, bytes and files alike', () => {
    let w: RateWindow = EMPTY_WINDOW;
    expect(sinceMoved(w)).toBe(0);
    for (const [at, bytes, files] of [
      [0, 0, 0],
      [1_000, 500, 0],
      [2_000, 500, 0],
      [3_000, 500, 1],
      [4_000, 500, 1],
      [9_000, 500, 1],
    ] as const)
      w = addRateSample(w, { at, bytes, files }, { idleGapMs: Infinity });
    expect(sinceMoved(w)).toBe(6_000);
    expect(sinceMoved(w) >= STALL_MS).toBe(true);
  });
});

describe('rates from finish times', () => {
  // The reviewer's upload: 2,013 small files (about 700 B) took 82 s, about 24.5 files/s, 6 at a time.
  it('reads about 82 s for 2,013 small uploads where the byte rate said "22 min 57 s"', () => {
    const perSecond = 2_013 / 82;
    const finished = Array.from({ length: 250 }, (_, i) => ({ at: 3_000 + (i * 1000) / perSecond }));
    const lately = completionRates(finished, finished[249]!.at);
    expect(lately.settled).toBe(true);
    const left = 2_013 - 250;
    const eta = estimateEta(
      { bytes: left * 700, files: left },
      { ...lately, bytesPerSecond: 700 * perSecond },
    )!;
    expect(eta).toBeGreaterThan((left / perSecond) * 0.9);
    expect(eta).toBeLessThan((left / perSecond) * 1.1);
  });

  it('uses only the finishes of the last window before now, the first of them as its baseline', () => {
    const old = Array.from({ length: 10 }, (_, i) => ({ at: i * 100 }));
    const recent = Array.from({ length: 31 }, (_, i) => ({ at: 100_000 + i * 100 }));
    expect(completionRates([...old, ...recent], 103_000).filesPerSecond).toBeCloseTo(10);
  });

  it('says nothing of a batch that finished longer ago than the window', () => {
    const batch = Array.from({ length: 6 }, (_, i) => ({ at: (i + 1) * 1_000 }));
    expect(completionRates(batch, 6_000)).toMatchObject({ settled: true, filesPerSecond: 1 });
    expect(completionRates(batch, 6_000 + RATE_WINDOW_MS + 2_000)).toEqual({
      filesPerSecond: 0,
      settled: false,
    });
  });

  it('is not settled with too few finishes', () => {
    expect(completionRates([{ at: 1 }], 1).settled).toBe(false);
    expect(completionRates([], 0).settled).toBe(false);
  });
});

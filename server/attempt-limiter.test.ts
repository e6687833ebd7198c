import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limiter.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function failTimes(limiter: AttemptLimiter, key: string, times: number) {
  for (let i = 0; i < times; i++) limiter.fail(key);
}

describe('AttemptLimiter', () => {
  it('lets a key try until it has failed `limit` times in the window', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ limit: 10, windowMs: 60_000, now: t.now });
    failTimes(limiter, 'a', 9);
    expect(limiter.waitMs('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.waitMs('a')).toBe(60_000);
  });

  it('makes a refused key wait until the window that opened at its first failure ends', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ limit: 3, windowMs: 60_000, now: t.now });
    limiter.fail('a');
    t.advance(20_000);
    failTimes(limiter, 'a', 2);
    expect(limiter.waitMs('a')).toBe(40_000);
    t.advance(39_999);
    expect(limiter.waitMs('a')).toBe(1);
    t.advance(1);
    expect(limiter.waitMs('a')).toBe(0);
  });

  it('starts counting afresh once the window has passed', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ limit: 3, windowMs: 60_000, now: t.now });
    failTimes(limiter, 'a', 2);
    t.advance(60_000);
    failTimes(limiter, 'a', 2);
    expect(limiter.waitMs('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.waitMs('a')).toBe(60_000);
  });

  it('counts each key on its own', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ limit: 2, windowMs: 60_000, now: t.now });
    failTimes(limiter, 'a', 2);
    expect(limiter.waitMs('a')).toBe(60_000);
    expect(limiter.waitMs('b')).toBe(0);
    limiter.fail('b');
    expect(limiter.waitMs('b')).toBe(0);
  });

  it('keeps at most maxKeys keys, forgetting the one whose window opened first', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ limit: 2, windowMs: 60_000, maxKeys: 3, now: t.now });
    failTimes(limiter, 'a', 2);
    t.advance(1);
    failTimes(limiter, 'b', 2);
    t.advance(1);
    failTimes(limiter, 'c', 2);
    t.advance(1);
    limiter.fail('d');
    expect(limiter.size).toBe(3);
    expect(limiter.waitMs('a')).toBe(0); // forgotten
    expect(limiter.waitMs('b')).toBeGreaterThan(0);
    expect(limiter.waitMs('c')).toBeGreaterThan(0);
  });

  it('drops windows that have passed, so quiet keys take no memory', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ windowMs: 60_000, now: t.now });
    for (let i = 0; i < 1_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(1_000);
    t.advance(60_000);
    limiter.fail('192.0.2.1');
    expect(limiter.size).toBe(1);
  });

  it('opens a new window for a key whose window is over, wherever it sits in the map', () => {
    const t = clock();
    const limiter = new AttemptLimiter({ limit: 2, windowMs: 60_000, now: t.now });
    limiter.fail('b');
    t.advance(-30_000); // the clock stepped back: 'a' opens after 'b' in the map, but earlier
    limiter.fail('a');
    t.advance(70_000); // 'a' is over, 'b' (ahead of it in the map) is not
    failTimes(limiter, 'a', 2);
    expect(limiter.waitMs('a')).toBe(60_000);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlotPool } from './body-slots.ts';

describe('SlotPool', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reuses the most recently freed slot', () => {
    const pool = new SlotPool({ slotBytes: 16 });
    const a = pool.take();
    const b = pool.take();
    expect(a.bytes.length).toBe(16);
    expect(a.bytes.buffer).toBe(a.sab);
    expect(pool.inUse).toBe(2);
    pool.give(a);
    pool.give(b);
    expect(pool.inUse).toBe(0);
    expect(pool.take()).toBe(b);
    expect(pool.take()).toBe(a);
    expect(pool.take()).not.toBe(b);
  });

  it('releases slots that stayed free for idleMs, all but keep', () => {
    vi.useFakeTimers();
    const pool = new SlotPool({ slotBytes: 16, keep: 0, idleMs: 1000 });
    const slots = Array.from({ length: 6 }, () => pool.take());
    for (const s of slots) pool.give(s);
    vi.advanceTimersByTime(500);
    pool.give(pool.take()); // still in use: stays a while longer
    vi.advanceTimersByTime(600);
    expect(pool.free).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(pool.free).toBe(0);

    const keeping = new SlotPool({ slotBytes: 16, keep: 2, idleMs: 1000 });
    for (const s of Array.from({ length: 5 }, () => keeping.take())) keeping.give(s);
    vi.advanceTimersByTime(5000);
    expect(keeping.free).toBe(2);
  });
});

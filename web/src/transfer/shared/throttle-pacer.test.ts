import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair-scheduler.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { ThrottlePacer } from './throttle-pacer.ts';

describe('ThrottlePacer', () => {
  it('halves the requests at once on a throttled answer, at most once a second, and adds one per request through', async () => {
    const scheduler = new FairScheduler(8);
    const clock = new FakeClock();
    const pacer = new ThrottlePacer(scheduler, 8, clock);
    pacer.throttled();
    expect(scheduler.limit).toBe(4);
    pacer.throttled(); // the same burst
    expect(scheduler.limit).toBe(4);
    await clock.advance(1000);
    pacer.throttled();
    pacer.throttled();
    expect(scheduler.limit).toBe(2);
    await clock.advance(1000);
    pacer.throttled();
    await clock.advance(1000);
    pacer.throttled();
    expect(scheduler.limit).toBe(1); // never none
    for (let i = 0; i < 10; i++) pacer.through();
    expect(scheduler.limit).toBe(8); // never past the configured most
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { serverWait } from './server-wait.ts';

function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    advance: (ms: number) => (now += ms),
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    },
  };
}

const unreachable = new ApiError('network', 0, 'Failed to fetch');

describe('serverWait', () => {
  it('waits for an unreachable server for serverWaitMs from its first failure, then no more', async () => {
    const time = fakeClock();
    const wait = serverWait({ clock: time.clock, serverWaitMs: 10_000, random: () => 0.5 });
    expect(wait.shouldWait(unreachable)).toBe(true);
    time.advance(9_999);
    expect(wait.shouldWait(unreachable)).toBe(true);
    time.advance(1);
    expect(wait.shouldWait(unreachable)).toBe(false);
    // Still away: its failures count as retries from here, the wait does not start over by itself.
    time.advance(60_000);
    expect(wait.shouldWait(unreachable)).toBe(false);
  });

  it('waits for a proxy saying 502-504, not for other answers', () => {
    const wait = serverWait({ clock: fakeClock().clock, serverWaitMs: 10_000, random: () => 0.5 });
    expect(wait.shouldWait(new ApiError('http-502', 502, 'Bad Gateway'))).toBe(true);
    expect(wait.shouldWait(new ApiError('http-500', 500, 'Internal'))).toBe(false);
    expect(wait.shouldWait(new ApiError('unauthorized', 401, 'Sign in'))).toBe(false);
    expect(wait.shouldWait(new TypeError('Failed to fetch'))).toBe(false);
  });

  it('sleeps longer between tries, 5 s at most, and starts over once the server answered', async () => {
    const time = fakeClock();
    const wait = serverWait({ clock: time.clock, serverWaitMs: 600_000, random: () => 1 });
    for (let i = 0; i < 10; i++) await wait.sleep(undefined);
    expect(time.slept.every((ms) => ms <= 5_000)).toBe(true);
    expect(time.slept.at(-1)).toBe(5_000);
    expect(time.slept[0]).toBeLessThan(time.slept.at(-1)!);
    wait.shouldWait(unreachable);
    time.advance(700_000);
    expect(wait.shouldWait(unreachable)).toBe(false);
    wait.reset();
    expect(wait.shouldWait(unreachable)).toBe(true);
    await wait.sleep(undefined);
    expect(time.slept.at(-1)).toBe(time.slept[0]);
  });
});

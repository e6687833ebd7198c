import { describe, expect, it } from 'vitest';
import { StoreProbe } from './store-probe.ts';

const never = new AbortController().signal;

describe('StoreProbe', () => {
  it('asks once for every request that asks at the same time', async () => {
    let asked = 0;
    let answer!: (up: boolean) => void;
    const probe = new StoreProbe(() => {
      asked++;
      return new Promise<boolean>((resolve) => (answer = resolve));
    });
    const all = Promise.all([probe.down(never), probe.down(never), probe.down(never)]);
    answer(false);
    expect(await all).toEqual([true, true, true]);
    expect(asked).toBe(1);
  });

  it('counts a server that cannot say, or no way to ask, as "not down" (the request is retried as before)', async () => {
    expect(await new StoreProbe(() => Promise.reject(new Error('server gone'))).down(never)).toBe(false);
    expect(await new StoreProbe(undefined).down(never)).toBe(false);
  });

  it('says when the Hoist server did not answer the question, and with what it failed (a restarting server is waited for)', async () => {
    const gone = new Error('server gone');
    expect(await new StoreProbe(() => Promise.reject(gone)).check(never)).toEqual({
      reachable: true,
      problem: null,
      answered: false,
      failure: gone,
    });
    expect(await new StoreProbe(undefined).check(never)).toMatchObject({ answered: false });
  });

  it("passes on what a store that answered the server with an error said (the server's answer as it is)", async () => {
    const problem = { code: 'no-such-bucket', message: 'Bucket "b" does not exist.' };
    const refusing = new StoreProbe(() => Promise.resolve({ reachable: true, problem }));
    expect(await refusing.check(never)).toEqual({ reachable: true, problem, answered: true });
    expect(await refusing.down(never)).toBe(false);
    expect(await new StoreProbe(() => Promise.resolve(false)).check(never)).toEqual({
      reachable: false,
      problem: null,
      answered: true,
    });
  });

  it('waits until the store answers, half a second apart at least, and stops when aborted', async () => {
    const answers = [false, false, true];
    const probe = new StoreProbe(async () => answers.shift()!);
    const sleeps: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    await probe.untilUp(clock, () => 0.5, never);
    expect(sleeps).toHaveLength(3);
    expect(Math.min(...sleeps)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(5_000);
    const stop = new AbortController();
    stop.abort(new Error('cancelled'));
    await expect(new StoreProbe(async () => false).down(stop.signal)).rejects.toThrow('cancelled');
  });

  it('asks every 5 s at most however long the store is down (transfers go on soon after it is back)', async () => {
    const answers = [...Array<boolean>(12).fill(false), true];
    const probe = new StoreProbe(async () => answers.shift()!);
    const sleeps: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    await probe.untilUp(clock, () => 0.999, never);
    expect(sleeps).toHaveLength(13);
    expect(sleeps.slice(-5).every((ms) => ms > 4_900 && ms <= 5_000)).toBe(true);
  });
});

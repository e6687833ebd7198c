import { describe, expect, it } from 'vitest';
import { serialQueue } from './serial-queue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('serialQueue', () => {
  it('runs tasks one at a time, in the order queued', async () => {
    const queue = serialQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string, steps: number) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`${name} start`);
      for (let i = 0; i < steps; i++) await tick();
      log.push(`${name} end`);
      running--;
      return name;
    };
    const results = await Promise.all([queue(task('a', 3)), queue(task('b', 1)), queue(task('c', 2))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('goes on after a task fails, and hands the failure to that task alone', async () => {
    const queue = serialQueue();
    const failed = queue(() => Promise.reject(new Error('unreadable')));
    const next = queue(() => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('unreadable');
    await expect(next).resolves.toBe('next');
  });
});

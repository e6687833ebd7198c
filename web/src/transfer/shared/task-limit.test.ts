import { describe, expect, it } from 'vitest';
import { taskLimit } from './task-limit.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

describe('taskLimit', () => {
  it('runs at most `limit` tasks at once, the rest in the order they came', async () => {
    const run = taskLimit(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const done = gates.map((g, i) =>
      run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3]);
  });

  it('a task that fails frees its place and rejects only its own caller', async () => {
    const run = taskLimit(1);
    const failing = run(() => Promise.reject(new Error('no')));
    const next = run(async () => 'yes');
    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe('yes');
  });

  it('a task that throws before its first await frees its place too', async () => {
    const run = taskLimit(1);
    const failing = run(() => {
      throw new Error('sync');
    });
    await expect(failing).rejects.toThrow('sync');
    await expect(run(async () => 1)).resolves.toBe(1);
  });

  it('refuses a limit below 1', () => {
    expect(() => taskLimit(0)).toThrow(RangeError);
  });
});

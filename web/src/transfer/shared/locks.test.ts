import { describe, expect, it } from 'vitest';
import { webLocks } from './locks.ts';

/** A LockManager as Web Locks behaves for `ifAvailable` and waiting requests (with a signal) and `query()`. */
function fakeManager() {
  const held = new Set<string>();
  const queue: { name: string; grant: () => void }[] = [];
  const take = (name: string, callback: (lock: unknown) => Promise<void> | void): Promise<void> => {
    held.add(name);
    return Promise.resolve(callback({ name })).then(() => {
      held.delete(name);
      const next = queue.findIndex((q) => q.name === name);
      if (next >= 0) queue.splice(next, 1)[0]!.grant();
    });
  };
  return {
    request(
      name: string,
      o: { ifAvailable?: boolean; signal?: AbortSignal },
      callback: (lock: unknown) => Promise<void> | void,
    ): Promise<unknown> {
      if (!held.has(name)) return take(name, callback);
      if (o.ifAvailable) return Promise.resolve(callback(null));
      return new Promise<void>((resolve, reject) => {
        const waiting = { name, grant: () => void take(name, callback).then(resolve, reject) };
        queue.push(waiting);
        o.signal?.addEventListener('abort', () => {
          queue.splice(queue.indexOf(waiting), 1);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    },
    query: () => Promise.resolve({ held: [...held].map((name) => ({ name })) }),
  };
}

const ticks = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('webLocks', () => {
  it('says whether a lock is held without taking it', async () => {
    const locks = webLocks(fakeManager());
    expect(await locks.held('upload:a')).toBe(false);
    const release = await locks.acquire('upload:a');
    expect(release).not.toBeNull();
    expect(await locks.held('upload:a')).toBe(true);
    expect(await locks.acquire('upload:a')).toBeNull();
    release!();
    await Promise.resolve();
    await Promise.resolve();
    expect(await locks.held('upload:a')).toBe(false);
  });

  it('waits for a held lock and takes it once released; aborted, it stops waiting with the reason', async () => {
    const locks = webLocks(fakeManager());
    const first = await locks.acquire('upload:a');
    let second: (() => void) | null = null;
    const waiting = locks.wait('upload:a').then((release) => (second = release));
    await ticks();
    expect(second).toBeNull();
    first!();
    await waiting;
    expect(second).not.toBeNull();
    expect(await locks.held('upload:a')).toBe(true);
    const stop = new AbortController();
    const third = locks.wait('upload:a', { signal: stop.signal });
    stop.abort(new Error('paused'));
    await expect(third).rejects.toThrow('paused');
    second!();
    await ticks();
    expect(await locks.held('upload:a')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { webLocks } from './locks.ts';

/** A LockManager as Web Locks behaves for `ifAvailable` requests and `query()`. */
function fakeManager() {
  const held = new Set<string>();
  return {
    request(name: string, _o: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | void) {
      if (held.has(name)) return Promise.resolve(callback(null));
      held.add(name);
      return Promise.resolve(callback({ name })).then(() => void held.delete(name));
    },
    query: () => Promise.resolve({ held: [...held].map((name) => ({ name })) }),
  };
}

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
});

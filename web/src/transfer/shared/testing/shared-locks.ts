import type { Locks } from '../locks.ts';

/** Web Locks as tabs of one browser share them: `tab()` is one tab's view. */
export function sharedLocks() {
  const held = new Set<string>();
  return {
    held: () => [...held],
    tab: (): Locks => ({
      acquire: (name) => {
        if (held.has(name)) return Promise.resolve(null);
        held.add(name);
        return Promise.resolve(() => held.delete(name));
      },
      held: (name) => Promise.resolve(held.has(name)),
      wait: () => Promise.reject(new Error('not used here')),
    }),
  };
}

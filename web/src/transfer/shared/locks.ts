/** "One tab owns an upload at a time." */
export interface Locks {
  /** Takes the lock if free: resolves with a release function, or null when another tab holds it. */
  acquire(name: string): Promise<(() => void) | null>;
  /**
   * Whether some tab holds the lock now, without taking it (taking and releasing it to find out would
   * leave it held a moment longer, and refuse this tab's own next take).
   */
  held(name: string): Promise<boolean>;
  /** Waits until no tab holds the lock, then takes it; rejects with `signal.reason` when aborted. */
  wait(name: string, o?: { signal?: AbortSignal }): Promise<() => void>;
}

export const noLocks: Locks = {
  acquire: () => Promise.resolve(() => {}),
  held: () => Promise.resolve(false),
  wait: () => Promise.resolve(() => {}),
};

interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** Web Locks: the lock is held as long as the callback's promise is pending, i.e. until release. */
export function webLocks(
  manager: LockManagerLike | undefined = typeof navigator !== 'undefined'
    ? (navigator as { locks?: LockManagerLike }).locks
    : undefined,
): Locks {
  if (!manager) return noLocks;
  return {
    acquire: (name) =>
      new Promise((resolve, reject) => {
        manager
          .request(name, { ifAvailable: true }, (lock) => {
            if (!lock) {
              resolve(null);
              return;
            }
            return new Promise<void>((release) => resolve(() => release()));
          })
          .catch(reject);
      }),
    held: async (name) => ((await manager.query()).held ?? []).some((lock) => lock.name === name),
    wait: (name, { signal } = {}) =>
      new Promise((resolve, reject) => {
        signal?.throwIfAborted();
        manager
          .request(
            name,
            signal ? { signal } : {},
            () => new Promise<void>((release) => resolve(() => release())),
          )
          .catch((error: unknown) => reject(signal?.aborted ? signal.reason : error));
      }),
  };
}

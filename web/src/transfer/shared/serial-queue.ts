/**
 * Runs async tasks one at a time, in the order they were queued; a task that fails does not stop the
 * ones behind it. The hash worker uses it so the part needed first is hashed first, instead of every
 * queued part sharing the worker and finishing together.
 */
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

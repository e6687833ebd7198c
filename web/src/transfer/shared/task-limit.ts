/**
 * Runs async tasks at most `limit` at a time, in the order they were queued; a task that fails does not
 * stop the ones behind it. A folder download of 50,000 objects looks up each file in the download folder
 * first: started all at once, that was 50,000 calls to the browser in flight, and the first download
 * waited behind all of them.
 */
export type TaskLimit = <T>(task: () => Promise<T>) => Promise<T>;

export function taskLimit(limit: number): TaskLimit {
  if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, not ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}

/**
 * Resolves once `holds()` is true, checked now and whenever `subscribe`'s callback runs; rejects with
 * `signal.reason` when aborted, leaving no listener behind either way. The wait under
 * `waitUntilOnline` and `waitUntilSignedIn`.
 */
export function waitUntil(
  holds: () => boolean,
  subscribe: (callback: () => void) => () => void,
  o: { signal?: AbortSignal } = {},
): Promise<void> {
  const { signal } = o;
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (holds()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    const unsubscribe = subscribe(() => {
      if (!holds()) return;
      done();
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

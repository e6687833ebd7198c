/** Signal helpers shared by the engines. An abort is not an error: callers swallow it in one place. */

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

export function abortError(message = 'The operation was aborted'): DOMException {
  return new DOMException(message, 'AbortError');
}

/**
 * Abort `inner` when `outer` aborts, without leaking: the listener is registered with
 * `{ signal: inner.signal }`, so it is removed as soon as `inner` aborts for any reason. Callers must
 * abort `inner` when they are done with it (see `childController`).
 */
export function linkSignal(outer: AbortSignal | undefined, inner: AbortController): void {
  if (!outer) return;
  if (outer.aborted) {
    inner.abort(outer.reason);
    return;
  }
  outer.addEventListener('abort', () => inner.abort(outer.reason), { once: true, signal: inner.signal });
}

/**
 * A controller linked to `outer`, for one request. `dispose()` aborts it (a no-op for the finished
 * request) which removes the listener from the long-lived outer signal.
 */
export function childController(outer: AbortSignal | undefined): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  linkSignal(outer, controller);
  return { controller, dispose: () => controller.abort(abortError('disposed')) };
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts (no listener left behind). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

import { waitUntil } from './wait-until.ts';

/** Where "are we online?" comes from: window events in the browser, always-online elsewhere. */
export interface OnlineSource {
  isOnline(): boolean;
  subscribe(callback: () => void): () => void;
}

export const alwaysOnline: OnlineSource = { isOnline: () => true, subscribe: () => () => {} };

export function browserOnline(): OnlineSource {
  if (typeof window === 'undefined' || typeof navigator === 'undefined') return alwaysOnline;
  return {
    isOnline: () => navigator.onLine !== false,
    subscribe(callback) {
      window.addEventListener('online', callback);
      window.addEventListener('offline', callback);
      return () => {
        window.removeEventListener('online', callback);
        window.removeEventListener('offline', callback);
      };
    },
  };
}

/** Resolves when the source says online; rejects with `signal.reason` when aborted. */
export function waitUntilOnline(source: OnlineSource, o: { signal?: AbortSignal } = {}): Promise<void> {
  return waitUntil(
    () => source.isOnline(),
    (callback) => source.subscribe(callback),
    o,
  );
}

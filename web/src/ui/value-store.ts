import { useSyncExternalStore } from 'react';

/**
 * One value of the page that components read with `useSyncExternalStore` and modules outside React
 * change: a notice, a listing's progress, the upload settings. `set` tells the subscribers only when
 * the value changes (by identity), so an unchanged value renders nothing.
 */
export interface ValueStore<T> {
  get(): T;
  set(next: T): void;
  subscribe(listener: () => void): () => void;
}

export function createValueStore<T>(initial: T): ValueStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      // A copy: a listener that unsubscribes (or subscribes another) while told does not skip one.
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** The store's value, rendering again when it changes. */
export function useValueStore<T>(store: ValueStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

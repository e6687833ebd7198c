import { describe, expect, it, vi } from 'vitest';
import { createValueStore } from './value-store.ts';

describe('createValueStore', () => {
  it('gives the value set last, starting from the first', () => {
    const store = createValueStore<number | null>(null);
    expect(store.get()).toBeNull();
    store.set(3);
    expect(store.get()).toBe(3);
  });

  it('tells subscribers of a change, and not of the same value set again', () => {
    const store = createValueStore({ n: 1 });
    const listener = vi.fn();
    store.subscribe(listener);
    const same = store.get();
    store.set(same);
    expect(listener).not.toHaveBeenCalled();
    store.set({ n: 1 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const store = createValueStore(0);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set(1);
    unsubscribe();
    store.set(2);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('tells every listener when one unsubscribes another while told', () => {
    const store = createValueStore(0);
    const second = vi.fn();
    let unsubscribeSecond = () => {};
    store.subscribe(() => unsubscribeSecond());
    unsubscribeSecond = store.subscribe(second);
    store.set(1);
    expect(second).toHaveBeenCalledTimes(1);
    store.set(2);
    expect(second).toHaveBeenCalledTimes(1);
  });
});

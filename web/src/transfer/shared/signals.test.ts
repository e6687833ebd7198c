import { describe, expect, it } from 'vitest';
import { childController, isAbortError, linkSignal } from './signals.ts';

describe('signals', () => {
  it('aborts the inner controller with the outer reason', () => {
    const outer = new AbortController();
    const { controller } = childController(outer.signal);
    outer.abort(new DOMException('bye', 'AbortError'));
    expect(controller.signal.aborted).toBe(true);
    expect(isAbortError(controller.signal.reason)).toBe(true);
  });

  it('removes its listener from the outer signal when disposed (no leak over many requests)', () => {
    const outer = new AbortController();
    let added = 0;
    let removed = 0;
    const add = outer.signal.addEventListener.bind(outer.signal);
    outer.signal.addEventListener = ((
      type: string,
      listener: EventListener,
      options?: AddEventListenerOptions,
    ) => {
      added++;
      options?.signal?.addEventListener('abort', () => removed++);
      add(type, listener, options);
    }) as typeof outer.signal.addEventListener;
    for (let i = 0; i < 1000; i++) childController(outer.signal).dispose();
    expect(added).toBe(1000);
    expect(removed).toBe(1000);
  });

  it('aborts at once when the outer signal already is', () => {
    const inner = new AbortController();
    linkSignal(AbortSignal.abort(), inner);
    expect(inner.signal.aborted).toBe(true);
  });
});

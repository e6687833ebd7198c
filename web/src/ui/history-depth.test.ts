import { describe, expect, it } from 'vitest';
import { depthState, entryDepth } from './history-depth.ts';

describe('entryDepth', () => {
  it('reads the depth the page put in an entry', () => {
    expect(entryDepth(depthState(3))).toBe(3);
  });

  it('finds none in an entry with no depth of its own (the one the page opened at, a new #fragment, anyone else’s state)', () => {
    for (const state of [
      null,
      undefined,
      'x',
      {},
      { hoistDepth: -1 },
      { hoistDepth: 1.5 },
      { hoistDepth: '2' },
    ])
      expect(entryDepth(state)).toBeNull();
  });
});

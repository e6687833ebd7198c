import { describe, expect, it } from 'vitest';
import { depthState, entryDepth } from './history-depth.ts';

describe('entryDepth', () => {
  it('reads the depth the page put in an entry', () => {
    expect(entryDepth(depthState(3))).toBe(3);
  });

  it('takes an entry with no depth of its own (the one the page opened at, or anyone else’s state) as 0', () => {
    for (const state of [
      null,
      undefined,
      'x',
      {},
      { hoistDepth: -1 },
      { hoistDepth: 1.5 },
      { hoistDepth: '2' },
    ])
      expect(entryDepth(state)).toBe(0);
  });
});

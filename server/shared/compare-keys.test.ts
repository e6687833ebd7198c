import { describe, expect, it } from 'vitest';
import { compareKeys } from './compare-keys.ts';

describe('compareKeys', () => {
  it('orders by code unit, equal keys as equal', () => {
    expect(['b', 'B', 'a/', 'a'].sort(compareKeys)).toEqual(['B', 'a', 'a/', 'b']);
    expect(compareKeys('x', 'x')).toBe(0);
  });
});

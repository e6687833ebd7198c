import { describe, expect, it } from 'vitest';
import { sortedEntries } from './sorted-entries.ts';

describe('sortedEntries', () => {
  it('orders by key in code-unit order, so listings in any order compare equal', () => {
    expect(sortedEntries({ b: '2', a: '1', B: '3' })).toEqual([
      ['B', '3'],
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(JSON.stringify(sortedEntries({ x: '1', y: '2' }))).toBe(
      JSON.stringify(sortedEntries({ y: '2', x: '1' })),
    );
  });

  it('reads none as empty', () => {
    expect(sortedEntries(undefined)).toEqual([]);
    expect(sortedEntries({})).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { filterSummary } from './filter-summary.ts';

describe('filterSummary', () => {
  it('says when nothing matches, as the empty list does', () => {
    expect(filterSummary('zz', 0, 0, false)).toBe('Nothing here starts with “zz”.');
  });

  it('counts objects and folders, in the singular for one', () => {
    expect(filterSummary('rep', 1, 0, false)).toBe('1 folder starts with “rep”.');
    expect(filterSummary('rep', 0, 1, false)).toBe('1 object starts with “rep”.');
    expect(filterSummary('rep', 2, 1_200, false)).toBe('1,200 objects and 2 folders start with “rep”.');
  });

  it('says a first page of several is not all there is', () => {
    expect(filterSummary('a', 0, 100, true)).toBe(
      '100 objects start with “a” on this page; there are more on the next.',
    );
  });
});

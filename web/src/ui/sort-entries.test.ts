import { describe, expect, it } from 'vitest';
import { sortEntries, sortFolders, sortSummary } from './sort-entries.ts';

const e = (key: string, size: number, lastModified: string) => ({ key, size, lastModified, etag: '' });
const list = [
  e('b', 3, '2024-01-02T00:00:00Z'),
  e('a', 3, '2024-01-03T00:00:00Z'),
  e('c', 1, '2024-01-01T00:00:00Z'),
];

describe('sortEntries', () => {
  it('sorts by name, size and date, ties by key', () => {
    expect(sortEntries(list, 'name', 1).map((x) => x.key)).toEqual(['a', 'b', 'c']);
    expect(sortEntries(list, 'size', -1).map((x) => x.key)).toEqual(['a', 'b', 'c']);
    expect(sortEntries(list, 'modified', 1).map((x) => x.key)).toEqual(['c', 'b', 'a']);
  });
  it('does not change its input', () => {
    const copy = [...list];
    sortEntries(list, 'size', 1);
    expect(list).toEqual(copy);
  });
});

describe('sortSummary', () => {
  it('says the column and the order in words, and when only this page is sorted', () => {
    expect(sortSummary('size', 1, false)).toBe('Sorted by size, smallest first.');
    expect(sortSummary('size', -1, true)).toBe('Sorted by size, largest first, this page only.');
    expect(sortSummary('name', -1, false)).toBe('Sorted by name, Z to A.');
    expect(sortSummary('modified', -1, false)).toBe('Sorted by last modified, newest first.');
  });
});

describe('sortFolders', () => {
  const folders = ['p/a/', 'p/b/', 'p/c/']; // as S3 lists them
  it('lists folders Z to A when the names are, as the files are', () => {
    expect(sortFolders(folders, 'name', 1)).toEqual(['p/a/', 'p/b/', 'p/c/']);
    expect(sortFolders(folders, 'name', -1)).toEqual(['p/c/', 'p/b/', 'p/a/']);
  });
  it('keeps them A to Z by size or date, which folders do not have', () => {
    expect(sortFolders(folders, 'size', -1)).toEqual(['p/a/', 'p/b/', 'p/c/']);
    expect(sortFolders(folders, 'modified', 1)).toEqual(['p/a/', 'p/b/', 'p/c/']);
  });
});

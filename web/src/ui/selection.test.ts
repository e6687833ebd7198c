import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import {
  FOLDERS_LISTED_AT_ONCE,
  describeSelection,
  expandSelection,
  tickState,
  toggleRows,
} from './selection.ts';

const entry = (key: string, size = 1): ObjectEntry => ({ key, size, etag: `"${key}"`, lastModified: '' });

describe('expandSelection', () => {
  it('adds every object under each ticked folder, each key once', async () => {
    const listed: string[] = [];
    const tree: Record<string, ObjectEntry[]> = {
      'a/': [entry('a/'), entry('a/1'), entry('a/b/2')],
      'c/': [entry('c/3')],
    };
    const got = await expandSelection([entry('x'), entry('a/1')], ['a/', 'c/'], async (prefix) => {
      listed.push(prefix);
      return tree[prefix] ?? [];
    });
    expect(listed).toEqual(['a/', 'c/']);
    expect(got.map((e) => e.key)).toEqual(['x', 'a/1', 'a/', 'a/b/2', 'c/3']);
  });

  it('lists a few folders at a time, and keeps their order', async () => {
    let listing = 0;
    let most = 0;
    const folders = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}/`);
    const got = await expandSelection([], folders, async (prefix) => {
      most = Math.max(most, ++listing);
      await new Promise((resolve) => setTimeout(resolve, 20 - Number(prefix.slice(1, 3))));
      listing--;
      return [entry(`${prefix}x`)];
    });
    expect(most).toBe(FOLDERS_LISTED_AT_ONCE);
    expect(got.map((e) => e.key)).toEqual(folders.map((f) => `${f}x`));
  });

  it('lists nothing when no folder is ticked', async () => {
    const got = await expandSelection([entry('x')], [], () => Promise.reject(new Error('not called')));
    expect(got.map((e) => e.key)).toEqual(['x']);
  });

  it('fails as the listing fails', async () => {
    await expect(expandSelection([], ['a/'], () => Promise.reject(new Error('403')))).rejects.toThrow('403');
  });
});

describe('describeSelection', () => {
  it('names folders and objects, singular and plural', () => {
    expect(describeSelection(2, 3)).toBe('2 folders and 3 objects');
    expect(describeSelection(1, 0)).toBe('1 folder');
    expect(describeSelection(0, 1)).toBe('1 object');
    expect(describeSelection(0, 1200)).toBe('1,200 objects');
  });
});

describe('tickState', () => {
  it('is all, some or none of the rows on screen, whatever else the set holds', () => {
    const rows = ['a/', 'b.txt', 'c.txt'];
    expect(tickState(rows, new Set(['a/', 'b.txt', 'c.txt']))).toBe('all');
    expect(tickState(rows, new Set(['b.txt', 'gone.txt']))).toBe('some');
    expect(tickState(rows, new Set(['gone.txt']))).toBe('none');
    expect(tickState([], new Set(['gone.txt']))).toBe('none');
  });
});

describe('toggleRows', () => {
  const rows = ['a/', 'b', 'c', 'd', 'e'];
  it('flips one row on a plain tick', () => {
    expect([...toggleRows(rows, new Set(['b']), 2, { shiftKey: false, anchor: 'b' })]).toEqual(['b', 'c']);
    expect([...toggleRows(rows, new Set(['b', 'c']), 1, { shiftKey: false, anchor: 'd' })]).toEqual(['c']);
  });
  it("with Shift, gives every row between the anchor and the click the clicked row's new state", () => {
    expect([...toggleRows(rows, new Set(['b']), 3, { shiftKey: true, anchor: 'b' })].sort()).toEqual([
      'b',
      'c',
      'd',
    ]);
    // Upwards, and turning off: the clicked row was on, so the whole range goes off.
    expect([...toggleRows(rows, new Set(['a/', 'b', 'c', 'e']), 1, { shiftKey: true, anchor: 'e' })]).toEqual(
      ['a/'],
    );
  });
  it('with Shift but no anchor yet, or one no longer listed, flips only the clicked row', () => {
    expect([...toggleRows(rows, new Set(), 2, { shiftKey: true, anchor: null })]).toEqual(['c']);
    expect([...toggleRows(rows, new Set(), 2, { shiftKey: true, anchor: 'gone' })]).toEqual(['c']);
  });
  it('keeps the range at the anchor row when a row came in above it since', () => {
    // "b" was ticked; then "a.txt" finished uploading and sorts above it.
    const now = ['a/', 'a.txt', 'b', 'c', 'd', 'e'];
    expect([...toggleRows(now, new Set(['b']), 4, { shiftKey: true, anchor: 'b' })].sort()).toEqual([
      'b',
      'c',
      'd',
    ]);
  });
  it('ignores an index outside the rows', () => {
    expect([...toggleRows(rows, new Set(['b']), 9, { shiftKey: false, anchor: null })]).toEqual(['b']);
  });
});

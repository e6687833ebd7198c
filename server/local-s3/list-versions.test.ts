import { describe, expect, it } from 'vitest';
import { listVersions, type ListVersionsInput } from './list-versions.ts';
import { SortedKeys } from './sorted-keys.ts';

/** key → its version ids, newest first */
function indexOf(keys: Record<string, string[]>): SortedKeys<string[]> {
  const index = new SortedKeys<string[]>();
  for (const [key, ids] of Object.entries(keys)) index.set(key, ids);
  return index;
}

const list = (index: SortedKeys<string[]>, input: Partial<ListVersionsInput>) => {
  const out = listVersions(
    index,
    (ids) => ids,
    (id) => id,
    {
      prefix: '',
      delimiter: '',
      maxKeys: 1000,
      ...input,
    },
  );
  return {
    ...out,
    versions: out.versions.map((v) => `${v.key}@${v.version}${v.isLatest ? '*' : ''}`),
  };
};

const index = indexOf({ a: ['a3', 'a2', 'a1'], 'b/x': ['bx1'], 'b/y': ['by2', 'by1'], c: ['c1'] });

describe('listVersions', () => {
  it('lists keys in order, each newest first, the first one latest', () => {
    expect(list(index, {}).versions).toEqual([
      'a@a3*',
      'a@a2',
      'a@a1',
      'b/x@bx1*',
      'b/y@by2*',
      'b/y@by1',
      'c@c1*',
    ]);
  });

  it('pages by key and version markers, counting each version, to the end', () => {
    const seen: string[] = [];
    let markers: Partial<ListVersionsInput> = {};
    for (let pages = 0; ; pages++) {
      const page = list(index, { maxKeys: 2, ...markers });
      seen.push(...page.versions);
      if (!page.isTruncated) break;
      expect(page.versions).toHaveLength(2);
      markers = { keyMarker: page.nextKeyMarker!, versionIdMarker: page.nextVersionIdMarker! };
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(list(index, {}).versions);
  });

  it('says where the next page starts: the last version listed', () => {
    expect(list(index, { maxKeys: 2 })).toMatchObject({
      isTruncated: true,
      nextKeyMarker: 'a',
      nextVersionIdMarker: 'a2',
    });
  });

  it('is not truncated when the page ends exactly at the last version', () => {
    expect(list(index, { keyMarker: 'b/y', versionIdMarker: 'by2', maxKeys: 2 })).toEqual({
      versions: ['b/y@by1', 'c@c1*'],
      commonPrefixes: [],
      isTruncated: false,
    });
  });

  it('starts after the whole key given a key marker alone', () => {
    expect(list(index, { keyMarker: 'a' }).versions[0]).toBe('b/x@bx1*');
  });

  it('rolls keys up into common prefixes, counted once, and skips those at or before the marker', () => {
    const page = list(index, { delimiter: '/', maxKeys: 4 });
    expect(page.versions).toEqual(['a@a3*', 'a@a2', 'a@a1']);
    expect(page).toMatchObject({ commonPrefixes: ['b/'], isTruncated: true, nextKeyMarker: 'b/' });
    expect(page.nextVersionIdMarker).toBeUndefined();
    expect(list(index, { delimiter: '/', keyMarker: 'b/' })).toMatchObject({
      versions: ['c@c1*'],
      commonPrefixes: [],
    });
  });

  it('keeps to the prefix', () => {
    expect(list(index, { prefix: 'b/' }).versions).toEqual(['b/x@bx1*', 'b/y@by2*', 'b/y@by1']);
  });

  it('max-keys=0 is an empty page, not truncated', () => {
    expect(list(index, { maxKeys: 0 })).toEqual({ versions: [], commonPrefixes: [], isTruncated: false });
  });
});

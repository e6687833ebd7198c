import { describe, expect, it } from 'vitest';
import type { HeadResult } from './s3-gateway.ts';
import { sameStoredObject, sameTags } from './same-object.ts';

const object = (o: Partial<HeadResult> = {}): HeadResult => ({
  size: 10,
  etag: '"abc"',
  lastModified: null,
  contentType: 'text/plain',
  ...o,
});

describe('sameStoredObject', () => {
  it('takes metadata in any order, and STANDARD named or left out, as alike', () => {
    expect(
      sameStoredObject(
        object({ headers: { metadata: { a: '1', b: '2' } } }),
        object({ etag: 'abc', headers: { metadata: { b: '2', a: '1' }, storageClass: 'STANDARD' } }),
      ),
    ).toBe(true);
  });

  it('tells apart objects of the same bytes that differ in a header a copy carries', () => {
    const plain = object();
    for (const headers of [
      { contentDisposition: 'attachment' },
      { cacheControl: 'no-store' },
      { storageClass: 'STANDARD_IA' },
      { metadata: { owner: 'bob' } },
      { serverSideEncryption: 'aws:kms' },
    ])
      expect(sameStoredObject(plain, object({ headers }))).toBe(false);
    expect(sameStoredObject(plain, object({ contentType: 'image/jpeg' }))).toBe(false);
    expect(sameStoredObject(plain, object({ etag: '"abd"' }))).toBe(false);
    expect(sameStoredObject(plain, object({ size: 11 }))).toBe(false);
  });

  it('leaves the version id out: a copy gets its own', () => {
    expect(
      sameStoredObject(object({ headers: { versionId: '1' } }), object({ headers: { versionId: '2' } })),
    ).toBe(true);
  });
});

describe('sameTags', () => {
  it('compares tags in any order, none and an empty set alike', () => {
    const ab = [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ];
    expect(sameTags(ab, [...ab].reverse())).toBe(true);
    expect(sameTags(null, [])).toBe(true);
    expect(sameTags(ab, ab.slice(0, 1))).toBe(false);
    expect(sameTags([{ key: 'a', value: '1' }], [{ key: 'a', value: '2' }])).toBe(false);
  });
});

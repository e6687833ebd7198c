import { describe, expect, it } from 'vitest';
import { decodeVersionCursor, encodeVersionCursor, entryOrder, versionSequence } from './version-listing.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('versionSequence', () => {
  it('puts the two arrays back into one listing: by key in UTF-8 order, the current first, then newest first', () => {
    const seq = versionSequence(
      [
        { Key: 'a', VersionId: 'a1', IsLatest: false, LastModified: at(1), Size: 1, ETag: '"e1"' },
        { Key: 'a', VersionId: 'a3', IsLatest: false, LastModified: at(3), Size: 3, ETag: '"e3"' },
        // U+FF5E sorts after "😀" (U+1F600) in UTF-16 code units, before it in UTF-8 bytes.
        { Key: '😀', VersionId: 'x1', IsLatest: true, LastModified: at(1), Size: 1, ETag: '"x"' },
        { Key: '～', VersionId: 'w1', IsLatest: true, LastModified: at(1), Size: 1, ETag: '"w"' },
      ],
      [
        { Key: 'a', VersionId: 'm4', IsLatest: true, LastModified: at(4) },
        { Key: 'a', VersionId: 'm2', IsLatest: false, LastModified: at(2) },
      ],
    );
    expect(seq.map((v) => v.versionId)).toEqual(['m4', 'a3', 'm2', 'a1', 'w1', 'x1']);
    expect(seq[0]).toEqual({
      key: 'a',
      versionId: 'm4',
      isLatest: true,
      deleteMarker: true,
      size: 0,
      etag: null,
      lastModified: at(4).toISOString(),
    });
    expect(seq[1]).toMatchObject({ deleteMarker: false, size: 3, etag: '"e3"' });
  });

  it('lists a version before a delete marker of the same instant, and keeps a storage class other than STANDARD', () => {
    const seq = versionSequence(
      [
        {
          Key: 'k',
          VersionId: 'v',
          IsLatest: false,
          LastModified: at(5),
          // The SDK's type knows only STANDARD; stores list others.
          StorageClass: 'GLACIER' as 'STANDARD',
        },
        { Key: 'k', VersionId: 's', IsLatest: false, LastModified: at(4), StorageClass: 'STANDARD' },
      ],
      [{ Key: 'k', VersionId: 'm', IsLatest: false, LastModified: at(5) }],
    );
    expect(seq.map((v) => [v.versionId, v.storageClass])).toEqual([
      ['v', 'GLACIER'],
      ['m', undefined],
      ['s', undefined],
    ]);
  });
});

describe('versionSequence in the order of the answer', () => {
  it("follows the XML's order where times tie: a delete marker between two versions of the same second", () => {
    const xml =
      '<ListVersionsResult><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>' +
      '<Version><Key>k</Key><VersionId>v2</VersionId></Version>' +
      '<DeleteMarker><Key>k</Key><VersionId>m</VersionId></DeleteMarker>' +
      '<Version><Key>k &lt;Version&gt;</Key><VersionId>v1</VersionId></Version></ListVersionsResult>';
    expect(entryOrder(xml)).toEqual(['V', 'D', 'V']);
    const seq = versionSequence(
      [
        { Key: 'k', VersionId: 'v2', IsLatest: true, LastModified: at(1) },
        { Key: 'k', VersionId: 'v1', IsLatest: false, LastModified: at(1) },
      ],
      [{ Key: 'k', VersionId: 'm', IsLatest: false, LastModified: at(1) }],
      entryOrder(xml),
    );
    expect(seq.map((v) => v.versionId)).toEqual(['v2', 'm', 'v1']);
  });

  it('falls back to sorting when the order does not fit the arrays', () => {
    const seq = versionSequence(
      [{ Key: 'k', VersionId: 'v', IsLatest: true, LastModified: at(2) }],
      [{ Key: 'k', VersionId: 'm', IsLatest: false, LastModified: at(1) }],
      ['D', 'D'],
    );
    expect(seq.map((v) => v.versionId)).toEqual(['v', 'm']);
  });
});

describe('version cursors', () => {
  it('give back the marker they were made of, and nothing for a token this API never gave', () => {
    const marker = { key: 'a/b c/ü.txt', versionId: 'null' };
    expect(decodeVersionCursor(encodeVersionCursor(marker))).toEqual(marker);
    expect(decodeVersionCursor('not-a-token')).toBeNull();
    expect(decodeVersionCursor(Buffer.from('{"key":"a"}').toString('base64url'))).toBeNull();
  });
});

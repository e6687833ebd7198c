import { describe, expect, it } from 'vitest';
import { detailRows } from './details-panel.tsx';

describe('detailRows', () => {
  it('lists what the store said, and only that', () => {
    const rows = detailRows(
      {
        key: 'docs/a.pdf',
        size: 6 * 1024 * 1024 + 7,
        etag: '"abc-2"',
        lastModified: '2026-11-30T10:00:00.000Z',
        contentType: 'application/pdf',
        checksum: { algorithm: 'CRC32', value: 'AAAAAA==-2', composite: true },
        partCount: 2,
        cacheControl: 'max-age=60',
        metadata: { owner: 'ana' },
      },
      'photos',
    );
    const map = new Map(rows);
    expect(map.get('S3 URI')).toBe('s3://photos/docs/a.pdf');
    expect(map.get('Size')).toBe('6.0 MB (6,291,463 bytes)');
    expect(map.get('Uploaded in')).toBe('2 parts');
    expect(map.get('Checksum')).toBe('CRC32 AAAAAA==-2 (checksum of the part checksums)');
    expect(map.get('Storage class')).toBe('Standard (STANDARD)');
    expect(map.get('Cache-Control')).toBe('max-age=60');
    expect(map.get('x-amz-meta-owner')).toBe('ana');
    expect(map.has('Encryption')).toBe(false);
    expect(map.has('Content-Encoding')).toBe(false);
  });

  it('says a single PUT was one request, and leaves out a missing checksum', () => {
    const map = new Map(
      detailRows(
        {
          key: 'k',
          size: 0,
          etag: '"d41d8cd98f00b204e9800998ecf8427e"',
          lastModified: null,
          contentType: null,
        },
        'b',
      ),
    );
    expect(map.get('Size')).toBe('0 bytes');
    expect(map.get('Uploaded in')).toBe('one request');
    expect(map.has('Checksum')).toBe(false);
    expect(map.has('Last modified')).toBe(false);
  });
});

describe('detailRows: tags', () => {
  const base = { key: 'k', size: 1, etag: '"e"', lastModified: null, contentType: null };
  it('lists the tags, says None when there are none, and leaves the row out when the store would not say', () => {
    const tags = [
      { key: 'team', value: 'data' },
      { key: 'stage', value: 'raw files' },
    ];
    expect(new Map(detailRows({ ...base, tags }, 'b')).get('Tags')).toBe('team = data, stage = raw files');
    expect(new Map(detailRows({ ...base, tags: [] }, 'b')).get('Tags')).toBe('None');
    expect(new Map(detailRows(base, 'b')).has('Tags')).toBe(false);
  });
});

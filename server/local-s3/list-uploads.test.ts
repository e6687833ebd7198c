import { describe, expect, it } from 'vitest';
import { listUploads, type ListUploadsInput, type UploadEntry } from './list-uploads.ts';

let clock = 0;
const upload = (key: string, uploadId = `id-${key}`): UploadEntry => ({
  key,
  uploadId,
  initiated: new Date(Date.UTC(2024, 0, 1) + clock++ * 1000).toISOString(),
});

const all = [
  upload('u/a/1'),
  upload('u/a/2'),
  upload('u/b/1'),
  upload('u/c'),
  upload('u/c', 'id-u/c-second'),
  upload('u/d/x/y'),
  upload('v/1'),
];
const base: ListUploadsInput = {
  prefix: '',
  delimiter: '',
  keyMarker: '',
  uploadIdMarker: '',
  maxUploads: 1000,
};
const page = (input: Partial<ListUploadsInput>) => {
  const out = listUploads(all, { ...base, ...input });
  return { ...out, uploads: out.uploads.map((u) => u.uploadId) };
};

describe('listUploads', () => {
  it('orders by key, then by initiation, under a prefix', () => {
    expect(page({ prefix: 'u/' }).uploads).toEqual([
      'id-u/a/1',
      'id-u/a/2',
      'id-u/b/1',
      'id-u/c',
      'id-u/c-second',
      'id-u/d/x/y',
    ]);
  });

  it('rolls keys up into common prefixes at the delimiter after the prefix', () => {
    expect(page({ prefix: 'u/', delimiter: '/' })).toEqual({
      uploads: ['id-u/c', 'id-u/c-second'],
      commonPrefixes: ['u/a/', 'u/b/', 'u/d/'],
      isTruncated: false,
      nextKeyMarker: 'u/d/',
      nextUploadIdMarker: '',
    });
    expect(page({ delimiter: '/' }).commonPrefixes).toEqual(['u/', 'v/']);
  });

  it('counts a common prefix once against max-uploads and pages through with the markers it returns', () => {
    const seen: string[] = [];
    let markers = { keyMarker: '', uploadIdMarker: '' };
    let pages = 0;
    for (;;) {
      const out = page({ prefix: 'u/', delimiter: '/', maxUploads: 2, ...markers });
      pages++;
      expect(out.uploads.length + out.commonPrefixes.length).toBeLessThanOrEqual(2);
      seen.push(...out.commonPrefixes, ...out.uploads);
      if (!out.isTruncated) break;
      markers = { keyMarker: out.nextKeyMarker!, uploadIdMarker: out.nextUploadIdMarker! };
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['id-u/c', 'id-u/c-second', 'u/a/', 'u/b/', 'u/d/'].sort());
  });

  it('resumes after the marker upload of the marker key, or after the whole key without an upload-id-marker', () => {
    expect(page({ prefix: 'u/', keyMarker: 'u/c', uploadIdMarker: 'id-u/c' }).uploads).toEqual([
      'id-u/c-second',
      'id-u/d/x/y',
    ]);
    expect(page({ prefix: 'u/', keyMarker: 'u/c' }).uploads).toEqual(['id-u/d/x/y']);
    expect(page({ prefix: 'u/', delimiter: '/', keyMarker: 'u/a/' }).commonPrefixes).toEqual([
      'u/b/',
      'u/d/',
    ]);
  });

  it('reports no next markers on an empty page', () => {
    expect(page({ prefix: 'w/' })).toEqual({ uploads: [], commonPrefixes: [], isTruncated: false });
  });
});

describe('listUploads with max-uploads=0', () => {
  it('is an empty page that is not truncated', () => {
    expect(page({ maxUploads: 0 })).toEqual({ uploads: [], commonPrefixes: [], isTruncated: false });
  });
});

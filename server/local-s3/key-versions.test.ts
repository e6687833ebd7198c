import { describe, expect, it } from 'vitest';
import {
  findVersion,
  liveObject,
  loadKeyVersions,
  nextSeq,
  placeVersion,
  unusedFiles,
} from './key-versions.ts';
import type { DeleteMarkerRecord, ObjectRecord } from './records.ts';

const object = (versionId: string | undefined, seq: number, file = `f${seq}`): ObjectRecord => ({
  key: 'k',
  size: 1,
  etag: `"${seq}"`,
  lastModified: '2026-01-01T00:00:00.000Z',
  headers: {},
  segments: [{ file, size: 1 }],
  ...(versionId ? { versionId } : {}),
  seq,
});
const marker = (versionId: string | undefined, seq: number): DeleteMarkerRecord => ({
  key: 'k',
  lastModified: '2026-01-01T00:00:00.000Z',
  deleteMarker: true,
  ...(versionId ? { versionId } : {}),
  seq,
});

describe('placeVersion', () => {
  it('puts a new version on top of the others (Enabled)', () => {
    const a = object('a', 1);
    const b = object('b', 2);
    expect(placeVersion([a], b)).toEqual({ versions: [b, a] });
  });

  it('replaces the "null" version wherever it is (Suspended), the others stay', () => {
    const old = object(undefined, 1);
    const a = object('a', 2);
    const fresh = marker(undefined, 3);
    expect(placeVersion([a, old], fresh)).toEqual({ versions: [fresh, a], replaced: old });
  });
});

describe('nextSeq and findVersion', () => {
  it('counts on from the newest; a version written before versioning counts as 0', () => {
    expect(nextSeq([])).toBe(1);
    expect(nextSeq([{ ...object(undefined, 0), seq: undefined }])).toBe(1);
    expect(nextSeq([object('b', 7), object('a', 3)])).toBe(8);
  });

  it('finds by id, "null" naming the version without one', () => {
    const versions = [object('b', 2), object(undefined, 1)];
    expect(findVersion(versions, 'null')).toEqual({ version: versions[1], index: 1 });
    expect(findVersion(versions, 'b')?.index).toBe(0);
    expect(findVersion(versions, 'c')).toBeUndefined();
  });
});

describe('unusedFiles and liveObject', () => {
  it('gives the files of a removed version that no other version names', () => {
    const gone = {
      ...object('a', 1),
      segments: [
        { file: 'x', size: 1 },
        { file: 'y', size: 1 },
      ],
    };
    expect(unusedFiles(gone, [object('b', 2, 'x')])).toEqual(['y']);
    expect(unusedFiles(marker('m', 3), [])).toEqual([]);
    expect(unusedFiles(undefined, [])).toEqual([]);
  });

  it('is the current version unless it is a delete marker', () => {
    expect(liveObject([object('a', 1)])?.versionId).toBe('a');
    expect(liveObject([marker('m', 2), object('a', 1)])).toBeUndefined();
    expect(liveObject(undefined)).toBeUndefined();
  });
});

describe('loadKeyVersions', () => {
  it('orders newest first by seq, not by id or file', () => {
    const versions = [object('z', 1), marker('a', 3), object(undefined, 0), object('m', 2)];
    const loaded = loadKeyVersions(versions.map((version) => ({ version, current: false })));
    expect(loaded.versions.map((v) => v.versionId ?? 'null')).toEqual(['a', 'm', 'z', 'null']);
    expect(loaded.duplicates).toEqual([]);
  });

  it('keeps a version a crash left twice once, the current copy, and gives back the other', () => {
    const a = object('a', 1);
    const copy = { version: a, current: false };
    const loaded = loadKeyVersions([
      copy,
      { version: a, current: true },
      { version: object('0', 0), current: false },
    ]);
    expect(loaded.versions.map((v) => v.versionId)).toEqual(['a', '0']);
    expect(loaded.duplicates).toEqual([copy]);
  });

  it('keeps the newer "null" version when a Suspended write was cut short before removing the older', () => {
    const older = { version: object(undefined, 1), current: false };
    const newer = { version: object(undefined, 3), current: true };
    const loaded = loadKeyVersions([older, { version: object('b', 2), current: false }, newer]);
    expect(loaded.versions.map((v) => v.seq)).toEqual([3, 2]);
    expect(loaded.duplicates).toEqual([older]);
  });
});

import { describe, expect, it } from 'vitest';
import type { UploadRecord } from '../transfer/upload/journal.ts';
import { sameRecords, unfinishedElsewhere } from './resumable-list.ts';

const record = (id: string, name: string, parts = 1, relativePath?: string): UploadRecord =>
  ({
    id,
    name,
    ...(relativePath !== undefined && { relativePath }),
    parts: Array.from({ length: parts }, (_, i) => ({ partNumber: i + 1, etag: `e${i}`, size: 1 })),
  }) as unknown as UploadRecord;

describe('unfinishedElsewhere', () => {
  it('leaves out the records running again in this tab (same path) and those discarded', () => {
    const records = [record('a', 'a.bin'), record('b', 'b.bin', 1, 'dir/b.bin'), record('c', 'c.bin')];
    const items = [
      { status: 'uploading', name: 'a.bin', relativePath: undefined, error: null },
      { status: 'done', name: 'b.bin', relativePath: 'dir/b.bin', error: null },
    ] as const;
    expect(unfinishedElsewhere(records, items, new Set(['c'])).map((r) => r.id)).toEqual(['b']);
  });

  it('keeps the record of a file whose row failed for good (a different file of that name), so it can be discarded', () => {
    const records = [record('a', 'a.bin'), record('b', 'b.bin')];
    const items = [
      {
        status: 'failed',
        name: 'a.bin',
        relativePath: undefined,
        error: { code: 'not-same-file', message: '' },
      },
      { status: 'failed', name: 'b.bin', relativePath: undefined, error: { code: 'network', message: '' } },
    ] as const;
    expect(unfinishedElsewhere(records, items, new Set()).map((r) => r.id)).toEqual(['a']);
  });

  it('gives back the same empty list when there are no records', () => {
    const none: UploadRecord[] = [];
    expect(
      unfinishedElsewhere(
        none,
        [{ status: 'queued', name: 'x', relativePath: undefined, error: null }],
        new Set(),
      ),
    ).toBe(none);
  });
});

describe('sameRecords', () => {
  it('is true for the same uploads with as many parts, false when one came, went or sent a part', () => {
    expect(sameRecords([], [])).toBe(true);
    expect(sameRecords([record('a', 'a.bin', 2)], [record('a', 'a.bin', 2)])).toBe(true);
    expect(sameRecords([record('a', 'a.bin', 2)], [record('a', 'a.bin', 3)])).toBe(false);
    expect(sameRecords([record('a', 'a.bin')], [])).toBe(false);
    expect(sameRecords([record('a', 'a.bin')], [record('b', 'a.bin')])).toBe(false);
  });
});

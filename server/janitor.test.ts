import { describe, expect, it } from 'vitest';
import type { UploadedPart } from './shared/api-types.ts';
import type { ObjectStore } from './s3/s3-gateway.ts';
import { sweepStaleUploads } from './janitor.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Just what the janitor asks of the store: uploads under a prefix, their parts, abort. */
function fakeStore(uploads: { key: string; uploadId: string; initiated: number; parts: number[] }[]) {
  const aborted: string[] = [];
  const listPartsCalls: string[] = [];
  const store = {
    listUploads: () =>
      Promise.resolve(
        uploads.map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: new Date(u.initiated) })),
      ),
    listParts: (_key: string, uploadId: string) => {
      listPartsCalls.push(uploadId);
      const upload = uploads.find((u) => u.uploadId === uploadId);
      if (!upload || aborted.includes(uploadId)) return Promise.resolve(null);
      return Promise.resolve(
        upload.parts.map((at, i): UploadedPart => ({
          partNumber: i + 1,
          size: 5,
          etag: `"e${i}"`,
          lastModified: new Date(at).toISOString(),
        })),
      );
    },
    abort: (_key: string, uploadId: string) => {
      aborted.push(uploadId);
      return Promise.resolve();
    },
  } as unknown as ObjectStore;
  return { store, aborted, listPartsCalls };
}

describe('sweepStaleUploads', () => {
  it('keeps an upload started before the TTL that is still receiving parts', async () => {
    const { store, aborted } = fakeStore([
      // Started 30 h ago, a part every few hours, the newest 1 h ago: a long upload going on.
      { key: 'long.bin', uploadId: 'long', initiated: T0 - 30 * HOUR, parts: [T0 - 29 * HOUR, T0 - HOUR] },
    ]);
    const removed = await sweepStaleUploads({ store, prefix: '', ttlMs: 24 * HOUR, now: () => T0 });
    expect(removed).toEqual([]);
    expect(aborted).toEqual([]);
  });

  it('aborts an upload whose newest part is older than the TTL, or that has no part', async () => {
    const log: string[] = [];
    const { store, aborted } = fakeStore([
      { key: 'idle.bin', uploadId: 'idle', initiated: T0 - 30 * HOUR, parts: [T0 - 25 * HOUR] },
      { key: 'empty.bin', uploadId: 'empty', initiated: T0 - 25 * HOUR, parts: [] },
    ]);
    const removed = await sweepStaleUploads({
      store,
      prefix: '',
      ttlMs: 24 * HOUR,
      now: () => T0,
      log: (l) => log.push(l),
    });
    expect(removed.map((r) => r.uploadId)).toEqual(['idle', 'empty']);
    expect(aborted).toEqual(['idle', 'empty']);
    expect(log[0]).toContain('janitor: aborted stale upload of "idle.bin"');
  });

  it('does not list the parts of an upload younger than the TTL', async () => {
    const { store, aborted, listPartsCalls } = fakeStore([
      { key: 'new.bin', uploadId: 'new', initiated: T0 - HOUR, parts: [] },
    ]);
    expect(await sweepStaleUploads({ store, prefix: '', ttlMs: 24 * HOUR, now: () => T0 })).toEqual([]);
    expect(listPartsCalls).toEqual([]);
    expect(aborted).toEqual([]);
  });
});

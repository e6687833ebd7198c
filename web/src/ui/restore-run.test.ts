import { describe, expect, it } from 'vitest';
import type { DeletedObject, DeletedObjectsPage } from '../../../server/shared/api-types.ts';
import { findDeleted, restoreAll, restoreSummary } from './restore-run.ts';

const deleted = (key: string, previous = true): DeletedObject => ({
  key,
  markerVersionId: `m-${key}`,
  deletedAt: null,
  previous: previous
    ? {
        key,
        versionId: `v-${key}`,
        isLatest: false,
        deleteMarker: false,
        size: 1,
        etag: '"e"',
        lastModified: null,
      }
    : null,
});

describe('findDeleted', () => {
  it('reads every page, counting as it goes, and leaves out objects with nothing to bring back', async () => {
    const pages: Record<string, DeletedObjectsPage> = {
      first: {
        prefix: 'p/',
        objects: [deleted('p/a'), deleted('p/b', false)],
        folders: [],
        nextCursor: 'c2',
      },
      c2: { prefix: 'p/', objects: [], folders: [], nextCursor: 'c3' },
      c3: { prefix: 'p/', objects: [deleted('p/sub/c')], folders: [], nextCursor: null },
    };
    const counts: number[] = [];
    const found = await findDeleted({
      list: async (cursor) => pages[cursor ?? 'first']!,
      signal: new AbortController().signal,
      onCount: (n) => counts.push(n),
    });
    expect(found.map((d) => d.key)).toEqual(['p/a', 'p/sub/c']);
    expect(counts).toEqual([1, 1, 2]);
  });
});

describe('restoreAll', () => {
  it('restores each version under its marker, pinned to the marker; a failure does not stop the others', async () => {
    const asked: string[] = [];
    const outcome = await restoreAll({
      objects: [deleted('a'), deleted('b'), deleted('c')],
      restore: async (key, versionId, latest) => {
        asked.push(`${key} ${versionId} ${latest.versionId}`);
        if (key === 'b') throw new Error('"b" was written or deleted since');
      },
      signal: new AbortController().signal,
    });
    expect(asked.sort()).toEqual(['a v-a m-a', 'b v-b m-b', 'c v-c m-c']);
    expect(outcome).toEqual({
      restored: 2,
      failed: [{ key: 'b', message: '"b" was written or deleted since' }],
      stopped: false,
    });
  });

  it('asks for no more once stopped, and counts what a stop cut off as no failure', async () => {
    const stop = new AbortController();
    const asked: string[] = [];
    const outcome = await restoreAll({
      objects: Array.from({ length: 20 }, (_, i) => deleted(`k${i}`)),
      restore: async (key, _v, _l, signal) => {
        asked.push(key);
        if (asked.length === 5) stop.abort();
        await new Promise((r) => setTimeout(r, 1));
        signal.throwIfAborted();
      },
      signal: stop.signal,
    });
    expect(asked.length).toBeLessThan(20);
    expect(outcome.stopped).toBe(true);
    expect(outcome.failed).toEqual([]);
  });
});

describe('restoreSummary', () => {
  it('says how many came back, how many could not, and, when stopped, that the rest are still deleted', () => {
    expect(restoreSummary({ restored: 3, failed: [], stopped: false }, 3, 'album/')).toBe(
      'Restored 3 objects of 3 in album/.',
    );
    expect(
      restoreSummary({ restored: 1, failed: [{ key: 'k', message: 'm' }], stopped: false }, 2, 'album/'),
    ).toBe('Restored 1 object of 2 in album/; 1 could not be, listed below.');
    expect(restoreSummary({ restored: 24, failed: [], stopped: true }, 200, 'tree/')).toBe(
      'Stopped: restored 24 objects of 200 in tree/ (any under way may be back too); the rest are still deleted.',
    );
  });
});

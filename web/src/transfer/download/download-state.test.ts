import { describe, expect, it } from 'vitest';
import {
  downloadReducer,
  initialDownloadState,
  toSnapshot,
  type DownloadAction,
  type DownloadState,
} from './download-state.ts';

const run = (actions: DownloadAction[], state: DownloadState = initialDownloadState(0)) =>
  actions.reduce(downloadReducer, state);

const added: DownloadAction = {
  type: 'added',
  items: [
    { id: 'a', key: 'p/a', relativePath: 'a', size: 1000, etag: 'e' },
    { id: 'b', key: 'p/', relativePath: null, size: 0, etag: 'd' },
  ],
};

describe('downloadReducer', () => {
  it('adds items queued, folder markers skipped', () => {
    const s = run([added]);
    expect(s.items.map((i) => i.status)).toEqual(['queued', 'skipped']);
  });

  it('returns the same state for actions that do not apply', () => {
    const s = run([added]);
    expect(downloadReducer(s, { type: 'done', id: 'a', verification: 'verified' })).toBe(s);
    expect(downloadReducer(s, { type: 'cancelled', id: 'nope' })).toBe(s);
    expect(downloadReducer(s, { type: 'skipped', id: 'b' })).toBe(s);
    expect(downloadReducer(s, { type: 'progress', loaded: new Map([['a', 5]]), now: 1 })).toBe(s);
  });

  it('takes the size and etag of the signed link when started', () => {
    const s = run([added, { type: 'started', id: 'a', size: 1200, etag: 'e2', now: 0 }]);
    expect(s.items[0]).toMatchObject({ status: 'downloading', size: 1200, etag: 'e2' });
  });

  it('smooths speed, derives ETA and never lets progress go back', () => {
    const s = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 100]]), now: 1000 },
      { type: 'progress', loaded: new Map([['a', 300]]), now: 2000 },
      { type: 'progress', loaded: new Map([['a', 200]]), now: 3000 },
    ]);
    const item = s.items[0]!;
    expect(item.loaded).toBe(300);
    expect(item.speed).toBeGreaterThan(100);
    expect(item.speed).toBeLessThan(200);
    expect(item.eta).toBe(Math.ceil(700 / item.speed));
    const snap = toSnapshot(s);
    expect(snap.totals).toMatchObject({ bytes: 1000, loaded: 300, eta: Math.ceil(700 / snap.totals.speed) });
    expect(snap.active).toBe(true);
  });

  it('resets an item for a retry and lists failures', () => {
    const failed = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['a', 100]]), now: 10 },
      { type: 'failed', id: 'a', error: { code: 'network', message: 'offline' } },
    ]);
    const snap = toSnapshot(failed);
    expect(snap.failed.map((i) => i.error?.code)).toEqual(['network']);
    // Still counted (its bytes are missing), so the totals never read as all done.
    expect(snap.totals).toMatchObject({
      bytes: 1000,
      loaded: 0,
      files: 1,
      complete: false,
      speed: 0,
      eta: null,
    });
    expect(snap.active).toBe(false);
    const retried = downloadReducer(failed, { type: 'queued', id: 'a' });
    expect(retried.items[0]).toMatchObject({ status: 'queued', loaded: 0, error: null, retries: 0 });
  });

  it('counts a failed item in the totals (its kept bytes as loaded): complete only when every item is done', () => {
    const s = run([
      {
        type: 'added',
        items: [
          { id: 'a', key: 'a', relativePath: 'a', size: 1000, etag: 'e' },
          { id: 'b', key: 'b', relativePath: 'b', size: 3000, etag: 'e' },
          { id: 'c', key: 'c', relativePath: null, size: 0, etag: 'e' },
        ],
      },
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'done', id: 'a', verification: 'verified' },
      { type: 'started', id: 'b', size: 3000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['b', 2500]]), now: 10 },
    ]);
    const failed = downloadReducer(s, {
      type: 'failed',
      id: 'b',
      error: { code: 'network', message: 'x' },
      kept: 2000,
    });
    expect(toSnapshot(failed).totals).toMatchObject({
      bytes: 4000,
      loaded: 3000,
      files: 2,
      complete: false,
      counts: { done: 1, failed: 1, skipped: 1 },
    });
    const gone = downloadReducer(failed, { type: 'removed', ids: ['b'] });
    expect(toSnapshot(gone).totals).toMatchObject({ bytes: 1000, loaded: 1000, files: 1, complete: true });
  });

  it('moves exists → queued on replace, exists → skipped on skip', () => {
    const exists = run([added, { type: 'exists', id: 'a', existingSize: 0 }]);
    expect(toSnapshot(exists).existing).toHaveLength(1);
    expect(downloadReducer(exists, { type: 'queued', id: 'a' }).items[0]!.status).toBe('queued');
    expect(downloadReducer(exists, { type: 'skipped', id: 'a' }).items[0]!.status).toBe('skipped');
  });

  it('does not cancel what is finished', () => {
    const done = run([
      added,
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'done', id: 'a', verification: 'unverified' },
    ]);
    expect(done.items[0]).toMatchObject({ status: 'done', loaded: 1000 });
    expect(downloadReducer(done, { type: 'cancelled', id: 'a' })).toBe(done);
  });

  it('removes settled rows only, re-indexes the rest, and totals count what is left', () => {
    const s = run([
      {
        type: 'added',
        items: [
          { id: 'a', key: 'p/a', relativePath: 'a', size: 1000, etag: 'e' },
          { id: 'b', key: 'p/b', relativePath: 'b', size: 2000, etag: 'e' },
          { id: 'c', key: 'p/c', relativePath: 'c', size: 4000, etag: 'e' },
        ],
      },
      { type: 'started', id: 'a', size: 1000, etag: 'e', now: 0 },
      { type: 'done', id: 'a', verification: 'verified' },
      { type: 'started', id: 'b', size: 2000, etag: 'e', now: 0 },
      { type: 'progress', loaded: new Map([['b', 500]]), now: 10 },
    ]);
    expect(toSnapshot(s).totals).toMatchObject({ bytes: 7000, loaded: 1500 });
    // 'b' is downloading and 'c' queued: asked to go, they stay.
    const cleared = downloadReducer(s, { type: 'removed', ids: ['a', 'b', 'c'] });
    expect(cleared.items.map((i) => i.id)).toEqual(['b', 'c']);
    expect(toSnapshot(cleared).totals).toMatchObject({ bytes: 6000, loaded: 500 });
    expect(toSnapshot(cleared).totals.counts.done).toBe(0);
    expect(cleared.sampledLoaded).toBe(500);
    // The index follows: later actions still find their rows.
    const next = downloadReducer(cleared, { type: 'progress', loaded: new Map([['b', 900]]), now: 20 });
    expect(next.items[0]).toMatchObject({ id: 'b', loaded: 900 });
    expect(downloadReducer(cleared, { type: 'removed', ids: ['a', 'b'] })).toBe(cleared);
  });
});

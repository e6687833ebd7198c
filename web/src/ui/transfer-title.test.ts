import { describe, expect, it } from 'vitest';
import {
  downloadSide,
  pausedPercent,
  transferOutcome,
  transferPercent,
  transferTitle,
  uploadSide,
  type TransferSide,
} from './transfer-title.ts';
import type { UploadStatus, UploadTotals } from '../transfer/upload/index.ts';
import {
  downloadReducer,
  initialDownloadState,
  toSnapshot,
  type DownloadAction,
} from '../transfer/download/download-state.ts';

const side = (over: Partial<TransferSide>): TransferSide => ({
  running: false,
  loaded: 0,
  total: 0,
  settled: 'none',
  paused: false,
  ...over,
});

describe('transferPercent', () => {
  it('is null when nothing runs', () => {
    expect(transferPercent([side({ loaded: 5, total: 10, settled: 'complete' }), side({})])).toBeNull();
  });

  it('counts only the engines that run: finished uploads do not inflate a running download', () => {
    const uploads = side({ loaded: 100, total: 100, settled: 'complete' });
    const downloads = side({ running: true, loaded: 42, total: 100 });
    expect(transferPercent([uploads, downloads])).toBe(42);
    expect(transferPercent([side({ running: true, loaded: 30, total: 100 }), downloads])).toBe(36);
  });

  it('rounds down and stays below 100 while running', () => {
    expect(transferPercent([side({ running: true, loaded: 999, total: 1000 })])).toBe(99);
    expect(transferPercent([side({ running: true, loaded: 1000, total: 1000 })])).toBe(99);
    expect(transferPercent([side({ running: true, loaded: 1, total: 1000 })])).toBe(0);
  });

  it('is 0 for empty files', () => {
    expect(transferPercent([side({ running: true })])).toBe(0);
  });
});

describe('transferOutcome', () => {
  it('says failed when anything failed, done when what ran finished', () => {
    expect(transferOutcome([side({ settled: 'complete' }), side({ settled: 'failed' })])).toBe('failed');
    expect(transferOutcome([side({ settled: 'complete' }), side({})])).toBe('done');
  });

  it('says nothing when files wait for the user or everything was cancelled', () => {
    expect(transferOutcome([side({ settled: 'complete' }), side({ settled: 'waiting' })])).toBeNull();
    expect(transferOutcome([side({}), side({})])).toBeNull();
  });
});

describe('transferTitle', () => {
  it('shows the percent while running, then the outcome, then the name alone', () => {
    expect(transferTitle('Hoist', 42, null)).toBe('42% · Hoist');
    expect(transferTitle('Hoist', null, 'done')).toBe('Done · Hoist');
    expect(transferTitle('Hoist', null, 'failed')).toBe('Failed · Hoist');
    expect(transferTitle('Hoist', null, null)).toBe('Hoist');
  });

  it('says what sits paused once nothing runs, so a background tab does not read as idle', () => {
    const paused = side({ loaded: 275, total: 2048, settled: 'waiting', paused: true });
    expect(pausedPercent([paused, side({ settled: 'complete' })])).toBe(13);
    expect(transferTitle('Hoist', null, null, 13)).toBe('Paused 13% · Hoist');
    // While anything runs its percent is shown, and a question to answer is no pause.
    expect(pausedPercent([paused, side({ running: true, loaded: 1, total: 2 })])).toBeNull();
    expect(pausedPercent([side({ loaded: 1, total: 2, settled: 'waiting' })])).toBeNull();
  });
});

describe('uploadSide', () => {
  const totals = (byStatus: Partial<Record<UploadStatus, number>>, busy = false): UploadTotals => ({
    files: 1,
    bytesTotal: 10,
    unsized: 0,
    bytesUploaded: 3,
    bytesSending: 1,
    bytesPerSecond: 0,
    etaSeconds: null,
    busy,
    byStatus: {
      queued: 0,
      hashing: 0,
      uploading: 0,
      paused: 0,
      completing: 0,
      done: 0,
      failed: 0,
      cancelling: 0,
      cancelled: 0,
      conflict: 0,
      skipped: 0,
      ...byStatus,
    },
  });

  it('reads progress (parts in flight too, as the bar does) and how the uploads were left', () => {
    expect(uploadSide(totals({ uploading: 1 }, true))).toEqual({
      running: true,
      loaded: 4,
      total: 10,
      settled: 'none',
      paused: false,
    });
    expect(uploadSide(totals({ done: 2, failed: 1 })).settled).toBe('failed');
    expect(uploadSide(totals({ done: 2, conflict: 1 })).settled).toBe('waiting');
    expect(uploadSide(totals({ done: 2, paused: 1 })).settled).toBe('waiting');
    expect(uploadSide(totals({ done: 2, cancelled: 3 })).settled).toBe('complete');
    expect(uploadSide(totals({ cancelled: 3 })).settled).toBe('none');
  });
});

describe('downloadSide', () => {
  it('is not running while the queue is held on a full disk and nothing downloads', () => {
    const actions: DownloadAction[] = [
      {
        type: 'added',
        items: ['a', 'b', 'c'].map((key) => ({ id: key, key, relativePath: key, size: 10, etag: '"e"' })),
      },
      { type: 'started', id: 'a', size: 10, etag: '"e"', now: 0 },
      { type: 'started', id: 'b', size: 10, etag: '"e"', now: 0 },
    ];
    let state = actions.reduce(downloadReducer, initialDownloadState());
    state = downloadReducer(state, {
      type: 'failed',
      id: 'a',
      error: { code: 'disk-full', message: 'full' },
    });
    // Still downloading beside the failure: running.
    expect(downloadSide(toSnapshot(state))).toMatchObject({ running: true });
    state = downloadReducer(state, {
      type: 'failed',
      id: 'b',
      error: { code: 'disk-full', message: 'full' },
    });
    // "c" is still queued, and waits for Resume.
    expect(toSnapshot(state)).toMatchObject({ held: true, active: true });
    expect(downloadSide(toSnapshot(state))).toMatchObject({ running: false, settled: 'failed' });
  });
});

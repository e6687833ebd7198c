import { describe, expect, it } from 'vitest';
import { UPLOAD_STATUSES, type UploadItem } from '../transfer/upload/upload-state.ts';
import type { DownloadStatus } from '../transfer/download/download-state.ts';
import { downloadRowActions, hasAny, uploadRowActions } from './row-actions.ts';

/** The buttons a row offers, by name. */
const offered = (actions: object) =>
  Object.entries(actions)
    .filter(([, on]) => on)
    .map(([name]) => name);

describe('uploadRowActions', () => {
  const upload = (status: UploadItem['status'], code?: string): Pick<UploadItem, 'status' | 'error'> => ({
    status,
    error: code ? ({ code, message: code } as UploadItem['error']) : null,
  });

  it.each([
    ['queued', ['pauseOrResume', 'cancel']],
    ['hashing', ['pauseOrResume', 'cancel']],
    ['uploading', ['pauseOrResume', 'cancel']],
    ['paused', ['pauseOrResume', 'cancel']],
    ['completing', ['cancel']],
    ['conflict', ['cancel', 'resolve']],
    ['done', []],
    ['cancelling', []],
    ['cancelled', []],
    ['skipped', []],
  ] as const)('%s offers %j', (status, names) => {
    expect(offered(uploadRowActions(upload(status)))).toEqual(names);
    expect(hasAny(uploadRowActions(upload(status)))).toBe(names.length > 0);
  });

  it('offers Retry and Cancel for a failure a retry may fix, only Remove for one it cannot', () => {
    expect(offered(uploadRowActions(upload('failed', 'network')))).toEqual(['retry', 'cancel']);
    expect(offered(uploadRowActions(upload('failed', 'too-large')))).toEqual(['remove']);
  });

  it('leaves no row without a button but those that are over (done, cancelled, skipped) or ending', () => {
    const without = UPLOAD_STATUSES.filter((status) => !hasAny(uploadRowActions(upload(status))));
    expect(without).toEqual(['done', 'cancelling', 'cancelled', 'skipped']);
  });
});

describe('downloadRowActions', () => {
  it.each([
    ['queued', 0, ['pauseOrResume', 'cancel']],
    ['downloading', 0, ['pauseOrResume', 'cancel']],
    ['paused', 2048, ['pauseOrResume', 'cancel']],
    ['exists', 0, ['resolve', 'cancel']],
    ['failed', 0, ['retry', 'remove']],
    ['failed', 1024, ['resume', 'remove']],
    ['cancelled', 0, ['retry']],
    ['done', 0, []],
    ['skipped', 0, []],
  ] as const satisfies readonly (readonly [DownloadStatus, number, readonly string[]])[])(
    '%s (kept %i) offers %j',
    (status, kept, names) => {
      const error = status === 'failed' ? { code: 'network' as const, message: 'reset' } : null;
      expect(offered(downloadRowActions({ status, kept, error }))).toEqual(names);
      expect(hasAny(downloadRowActions({ status, kept, error }))).toBe(names.length > 0);
    },
  );

  it('offers no Pause once every byte is in and the file is saved or checked: only Cancel', () => {
    for (const now of [{ saving: true }, { verifying: true }]) {
      const actions = downloadRowActions({ status: 'downloading', kept: 0, error: null, ...now });
      expect(offered(actions)).toEqual(['cancel']);
    }
  });

  it('offers no Retry for a key no browser can fetch (a "." or ".." folder): only Remove', () => {
    const error = { code: 'not-downloadable' as const, message: 'has ".." as a folder name' };
    expect(offered(downloadRowActions({ status: 'failed', kept: 0, error }))).toEqual(['remove']);
  });
});

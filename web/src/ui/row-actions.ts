/**
 * Which buttons a transfer row offers, by its state: the rows render from this, and a windowed list
 * (virtual-list.tsx) keeps the rows that have any rendered around the focused one, for Tab to reach.
 */
import { canRetryDownload, type DownloadItem } from '../transfer/download/index.ts';
import { canRetry, failedForGood, type UploadItem } from '../transfer/upload/upload-state.ts';

export interface UploadRowActions {
  /** One slot for both: Pause while it runs, Resume once paused. */
  pauseOrResume: boolean;
  retry: boolean;
  cancel: boolean;
  /** Failed for good: nothing left to do but take it off the list. */
  remove: boolean;
  /** Replace, Keep both, Skip: the key is taken. */
  resolve: boolean;
}

export function uploadRowActions(item: Pick<UploadItem, 'status' | 'error'>): UploadRowActions {
  const { status } = item;
  return {
    pauseOrResume:
      status === 'uploading' || status === 'hashing' || status === 'queued' || status === 'paused',
    retry: canRetry(item),
    cancel: !['done', 'cancelled', 'cancelling', 'skipped'].includes(status) && !failedForGood(item),
    remove: failedForGood(item),
    resolve: status === 'conflict',
  };
}

export interface DownloadRowActions {
  /** Replace, Keep both, Skip: a file of that name is in the folder. */
  resolve: boolean;
  /**
   * One slot for both: Pause while queued or downloading, Resume once paused. Not once every byte is
   * in and the file is saved or checked: there is nothing left to pause.
   */
  pauseOrResume: boolean;
  cancel: boolean;
  /** Resume and Start over: failed with part of the file saved. */
  resume: boolean;
  retry: boolean;
  remove: boolean;
}

export function downloadRowActions(
  item: Pick<DownloadItem, 'status' | 'kept' | 'error'> & Partial<Pick<DownloadItem, 'saving' | 'verifying'>>,
): DownloadRowActions {
  const { status } = item;
  const resume = status === 'failed' && item.kept > 0;
  return {
    resolve: status === 'exists',
    pauseOrResume:
      (status === 'queued' || status === 'downloading' || status === 'paused') &&
      !item.saving &&
      !item.verifying,
    // Also while it asks Replace / Keep both / Skip, as an upload row does: the whole job can be dropped.
    cancel: status === 'queued' || status === 'exists' || status === 'downloading' || status === 'paused',
    resume,
    retry: !resume && canRetryDownload(item),
    remove: status === 'failed',
  };
}

/** Whether a row offers any button: one Tab stops at. */
export const hasAny = (actions: UploadRowActions | DownloadRowActions): boolean =>
  Object.values(actions).some(Boolean);

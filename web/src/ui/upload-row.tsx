import { ReplaceNote } from './replace-note.tsx';
import { memo, useState } from 'react';
import { visibleName } from './visible-name.ts';
import type { UploadItem, UploadManager, UploadStatus } from '../transfer/upload/index.ts';
import { formatBytes, formatDate, formatRate } from './format.ts';
import { ProgressBar } from './progress-bar.tsx';
import { uploadRowActions } from './row-actions.ts';
import { WAITING_TEXT } from './waiting-text.ts';
import { uploadSavedAs } from './saved-as.ts';
import { PathLabel } from './path-label.tsx';

const STATUS_TEXT: Record<UploadStatus, string> = {
  queued: 'Queued',
  hashing: 'Hashing',
  uploading: 'Uploading',
  paused: 'Paused',
  completing: 'Completing',
  done: 'Done',
  failed: 'Failed',
  cancelling: 'Cancelling',
  cancelled: 'Cancelled',
  conflict: 'Already exists',
  skipped: 'Skipped',
};

/**
 * Each failure's reason is said (role="alert") by the row that first shows it, only: a windowed list
 * unmounts a row scrolled out of view and mounts it again when it comes back, and a screen reader
 * would announce the failure each time. Keyed by the error, so a retry that fails again is said again.
 */
const failureSaidBy = new WeakMap<NonNullable<UploadItem['error']>, object>();
/**
 * Many failing at once (a sign-out elsewhere, a bucket that refuses every file) would interrupt a
 * screen reader once per row: within this time of the last failure said, a failure is not said by its
 * row (the queue's live region counts them: "60 uploads failed").
 */
const FAILURE_QUIET_MS = 3_000;
let lastFailureSaid = -Infinity;
/** Claims a failure for no row: it is shown, not said. */
const NOBODY = {};

/**
 * One row; memoised, so a change to one upload does not re-render the other 999. `label`: its path
 * below the folder uploads go to (the whole key is its title); `position` of `setSize`: its place in
 * the list, for screen readers (most rows are not in the page: see virtual-list.tsx).
 */
export const UploadRow = memo(function UploadRow({
  item,
  label,
  manager,
  position,
  setSize,
}: {
  item: UploadItem;
  label: string;
  manager: UploadManager;
  position: number;
  setSize: number;
}) {
  const bytesShown = item.bytesUploaded + item.bytesSending;
  const can = uploadRowActions(item);
  /** Read a moment after the pick (see UploadItem.size). */
  const size = item.size === null ? '…' : formatBytes(item.size);
  /** This mounted row (a row mounted again is another). */
  const [self] = useState(() => ({}));
  const failure = item.status === 'failed' ? item.error : null;
  const savedAs = uploadSavedAs(item.status, item.key, item.name);
  // Claimed as the row renders (rows shown together must see each other's claims, which effects would
  // set too late); the same failure object is claimed once, so a render done again changes nothing.
  if (failure && !failureSaidBy.has(failure)) {
    const now = Date.now();
    const quiet = now - lastFailureSaid >= FAILURE_QUIET_MS;
    failureSaidBy.set(failure, quiet ? self : NOBODY);
    if (quiet) lastFailureSaid = now;
  }
  const sayFailure = failure !== null && failureSaidBy.get(failure) === self;
  return (
    <li
      className={`transfer status-${item.status}`}
      data-testid="upload-row"
      data-status={item.status}
      aria-label={label}
      aria-posinset={position}
      aria-setsize={setSize}
    >
      <div className="transfer-head">
        <span className="name" title={item.key ?? item.relativePath ?? item.name}>
          <PathLabel path={label} />
        </span>
        <span className="size">{size}</span>
        <span className={item.waiting ? 'state waiting' : 'state'} data-testid="upload-state">
          {/* What it waits for, in place of "Uploading" beside it (as a download row says it). */}
          {item.waiting ? (
            <span data-testid="upload-waiting">{WAITING_TEXT[item.waiting]}</span>
          ) : item.comparing !== null ? (
            'Comparing'
          ) : (
            STATUS_TEXT[item.status]
          )}
        </span>
      </div>
      <ProgressBar
        done={bytesShown}
        total={item.size ?? 0}
        complete={item.status === 'done'}
        label={`Upload of ${label}`}
      />
      <div className="transfer-meta">
        {item.comparing !== null ? (
          <span data-testid="upload-comparing">
            Comparing with the object of this name in the bucket: {formatBytes(item.comparing)} of {size} read
          </span>
        ) : (
          <span>
            {formatBytes(bytesShown)} of {size}
          </span>
        )}
        {item.status === 'uploading' && !item.waiting && (
          <span>{formatRate(item.bytesPerSecond, item.etaSeconds)}</span>
        )}
        {savedAs !== null && (
          <span data-testid="upload-saved-as" title={item.key ?? undefined}>
            {savedAs}
          </span>
        )}
        {item.note && <span className="note">{item.note}</span>}
        {item.retrying && (
          <span className="note" data-testid="upload-retrying">
            Retrying ({item.retrying.attempt} of {item.retrying.of}): {item.retrying.message}
          </span>
        )}
        {item.error && (
          <span className="error" role={sayFailure ? 'alert' : undefined} data-testid="upload-error">
            {item.error.message}
          </span>
        )}
      </div>
      {can.resolve && item.conflict && (
        <div className="conflict" role="group" aria-label={`${label} already exists`}>
          <span>
            {/* What people decide Replace or Keep both by, as a file manager's replace prompt shows it. */}“
            {visibleName(item.conflict.key)}” already exists ({formatBytes(item.conflict.existing.size)}
            {item.conflict.existing.lastModified
              ? `, last modified ${formatDate(item.conflict.existing.lastModified)}`
              : ''}
            {item.size !== null ? `; this file is ${formatBytes(item.size)}` : ''})
            {item.bytesUploaded > 0
              ? ': it was written while this file was uploading. Keep both sends the file again under a new name.'
              : '.'}
          </span>
          <ReplaceNote />
          <button type="button" onClick={() => manager.resolveConflict(item.id, 'replace')}>
            Replace
          </button>
          <button type="button" onClick={() => manager.resolveConflict(item.id, 'keep-both')}>
            Keep both
          </button>
          <button type="button" onClick={() => manager.resolveConflict(item.id, 'skip')}>
            Skip
          </button>
        </div>
      )}
      <div className="actions">
        {/* One slot for Pause and Resume, so the button (and keyboard focus) stays put when it flips. */}
        {can.pauseOrResume && (
          <button
            type="button"
            aria-label={`${item.status === 'paused' ? 'Resume' : 'Pause'} ${label}`}
            onClick={() => (item.status === 'paused' ? manager.resume(item.id) : manager.pause(item.id))}
          >
            {item.status === 'paused' ? 'Resume' : 'Pause'}
          </button>
        )}
        {can.retry && (
          <button type="button" aria-label={`Retry ${label}`} onClick={() => manager.retry(item.id)}>
            Retry
          </button>
        )}
        {can.cancel && (
          <button type="button" aria-label={`Cancel ${label}`} onClick={() => manager.cancel(item.id)}>
            Cancel
          </button>
        )}
        {can.remove && (
          <button
            type="button"
            aria-label={`Remove ${label} from the list`}
            onClick={() => manager.remove(item.id)}
          >
            Remove
          </button>
        )}
      </div>
    </li>
  );
});

import { memo, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  canRetry,
  isFinished,
  type UploadFileInput,
  type UploadItem,
  type UploadManager,
  type UploadRecord,
  type UploadStatus,
} from '../transfer/upload/index.ts';
import { pathInFolder } from '../transfer/upload/path-in-folder.ts';
import {
  STORE_FULL_TEXT,
  nextAnnouncement,
  type Announcement,
} from '../transfer/upload/queue-announcement.ts';
import { filesFromDrop, filesFromInput } from './dropped-files.ts';
import { formatBytes, formatEta, formatSpeed } from './format.ts';
import { ProgressBar } from './progress-bar.tsx';
import { folderLabel, intoFolder, rootLabel } from './upload-folder.ts';
import { sameRecords, unfinishedElsewhere } from './resumable-list.ts';
import { hasAny, uploadRowActions } from './row-actions.ts';
import { useUploads } from './use-upload-manager.ts';
import { VirtualList } from './virtual-list.tsx';

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
 * `folder`: where new uploads go, relative to `rootPrefix` (the folder the object browser shows);
 * `onFolderChange` opens another one (where an unfinished upload was going).
 */
export function UploadPanel({
  rootPrefix,
  folder,
  onFolderChange,
}: {
  rootPrefix: string;
  folder: string;
  onFolderChange: (folder: string) => void;
}) {
  const { manager, snapshot } = useUploads();
  const [dragging, setDragging] = useState(false);
  const [resumable, setResumable] = useState<UploadRecord[]>([]);
  /** What the last Discard left to say (an expired upload, a server that could not be told). */
  const [discardNote, setDiscardNote] = useState<string | null>(null);
  /** Discarded in this page: gone from the list at once, whatever the server answers. */
  const [discarded, setDiscarded] = useState<ReadonlySet<string>>(new Set());
  /** What the queue's live region says: milestones only (see queue-announcement.ts). */
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const { items, totals } = snapshot;
  const nextMilestone = nextAnnouncement(announcement, totals, snapshot.storeFull !== null);
  if (nextMilestone !== announcement) setAnnouncement(nextMilestone);
  /** Files left out of the totals' counts, said beside them. */
  const leftOut =
    (totals.byStatus.skipped > 0 ? ` · ${totals.byStatus.skipped} skipped` : '') +
    (totals.byStatus.cancelled > 0 ? ` · ${totals.byStatus.cancelled} cancelled` : '');
  const retryable = totals.byStatus.failed > 0 ? items.filter(canRetry).length : 0;
  /** Confirmed bytes, plus how far the parts in flight have got (estimated from the measured rate). */
  let bytesShown = totals.bytesUploaded;
  for (const item of items) bytesShown += item.bytesSending;
  /** Files whose name may still turn out taken (at create or at Complete): a choice for all covers them. */
  const unchecked =
    totals.byStatus.queued + totals.byStatus.hashing + totals.byStatus.uploading + totals.byStatus.paused;

  useEffect(() => {
    const controller = new AbortController();
    // The same records as shown (as a rule none): no new state, so the panel is not drawn again for them.
    const show = (records: UploadRecord[]) =>
      setResumable((shown) => (sameRecords(shown, records) ? shown : records));
    manager
      .listResumable({ signal: controller.signal })
      .then(show)
      .catch(() => show([]));
    return () => controller.abort();
  }, [manager, totals.byStatus.done, totals.byStatus.cancelled, items.length]);

  // Unfinished uploads not running again in this tab (the same path is the same upload).
  const unfinished = useMemo(
    () => unfinishedElsewhere(resumable, items, discarded),
    [resumable, items, discarded],
  );
  const add = (files: UploadFileInput[]) => manager.add(files.map((f) => intoFolder(folder, f)));
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(await filesFromDrop(e.dataTransfer));
  };

  return (
    <section className="card" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload</h2>
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <p>Drop files or folders here, or</p>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Choose files
        </button>
        <button type="button" onClick={() => folderInput.current?.click()}>
          Choose a folder
        </button>
        <p className="destination" data-testid="upload-destination">
          Uploads go to <strong>{folderLabel(rootLabel(rootPrefix), folder)}</strong>
        </p>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          data-testid="file-input"
          onChange={(e) => {
            add(filesFromInput(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          aria-label="Folder to upload"
          data-testid="folder-input"
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => {
            add(filesFromInput(e.target.files));
            e.target.value = '';
          }}
        />
      </div>

      {/* Always there, so screen readers watch it before the first milestone. */}
      <p className="sr-only" role="status" aria-label="Upload queue" data-testid="upload-announcement">
        {nextMilestone?.text}
      </p>

      {snapshot.notice && (
        <p className="note" role="status" data-testid="upload-notice">
          {snapshot.notice}
        </p>
      )}

      {discardNote && (
        <p className="note" role="status" data-testid="discard-note">
          {discardNote}
        </p>
      )}

      {unfinished.length > 0 && (
        <div className="resumable" aria-label="Unfinished uploads">
          <h3>Unfinished uploads</h3>
          <p>Pick or drop the same file again in its folder to continue where it stopped.</p>
          <ul>
            {unfinished.map((r) => (
              <li key={r.id}>
                <span className="name">{r.relativePath ?? r.name}</span> <span>{formatBytes(r.size)}</span>{' '}
                <span>
                  {r.parts.length} of {r.partCount} parts sent
                </span>{' '}
                {folderOf(r) !== folder && (
                  <button
                    type="button"
                    aria-label={`Open the folder of ${r.relativePath ?? r.name}`}
                    onClick={() => onFolderChange(folderOf(r))}
                  >
                    Open its folder
                  </button>
                )}{' '}
                <button
                  type="button"
                  aria-label={`Discard unfinished upload of ${r.name}`}
                  onClick={() => {
                    setDiscarded((ids) => new Set(ids).add(r.id));
                    manager.discard(r.id).then(
                      ({ note }) => setDiscardNote(note),
                      (error: unknown) =>
                        setDiscardNote(
                          `Could not discard ${r.name}: ${error instanceof Error ? error.message : String(error)}`,
                        ),
                    );
                  }}
                >
                  Discard
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      {items.length > 0 && (
        <>
          <div className="totals">
            <ProgressBar
              done={bytesShown}
              total={totals.bytesTotal}
              complete={totals.files > 0 && totals.byStatus.done === totals.files}
              label="All uploads"
            />
            <span data-testid="upload-totals">
              {formatBytes(bytesShown)} of {formatBytes(totals.bytesTotal)}
              {totals.unsized > 0 && '…'} · {totals.byStatus.done} of {totals.files} done{leftOut}{' '}
              {formatSpeed(totals.bytesPerSecond)} {formatEta(totals.etaSeconds)}
            </span>
            <button
              type="button"
              onClick={() => manager.pauseAll()}
              disabled={totals.byStatus.queued + totals.byStatus.hashing + totals.byStatus.uploading === 0}
            >
              Pause all
            </button>
            <button type="button" onClick={() => manager.resumeAll()} disabled={totals.byStatus.paused === 0}>
              Resume all
            </button>
            <button
              type="button"
              onClick={() => manager.cancelAll()}
              disabled={!totals.busy && totals.byStatus.paused === 0}
            >
              Cancel all
            </button>
            <button type="button" onClick={() => manager.clearFinished()} disabled={!items.some(isFinished)}>
              Clear finished
            </button>
          </div>
          {snapshot.storeFull && (
            <div className="conflict" role="group" aria-label="Uploads paused">
              <span data-testid="upload-held">
                {STORE_FULL_TEXT}
                {snapshot.storeFull.paused > 0 &&
                  ` ${snapshot.storeFull.paused} ${snapshot.storeFull.paused === 1 ? 'upload waits' : 'uploads wait'}, with the parts already sent.`}{' '}
                Free some space on it, then Resume.
              </span>
              <button type="button" onClick={() => manager.resumeAll()}>
                Resume uploads
              </button>
            </div>
          )}
          {(totals.byStatus.conflict > 1 || (totals.byStatus.conflict === 1 && unchecked > 0)) && (
            <div className="conflict" role="group" aria-label="Uploads whose name is taken">
              <span>
                {totals.byStatus.conflict === 1
                  ? '1 file has a name that is already taken.'
                  : `${totals.byStatus.conflict} files have a name that is already taken.`}
                {unchecked > 0 && ' A choice for all also applies to the files still to come in this list.'}
              </span>
              <button type="button" onClick={() => manager.resolveAllConflicts('replace')}>
                Replace all
              </button>
              <button type="button" onClick={() => manager.resolveAllConflicts('keep-both')}>
                Keep both for all
              </button>
              <button type="button" onClick={() => manager.resolveAllConflicts('skip')}>
                Skip all
              </button>
            </div>
          )}
          {totals.byStatus.failed > 0 && (
            <div className="failures" role="group" aria-label="Failed uploads">
              <p>
                {totals.byStatus.failed} upload{totals.byStatus.failed === 1 ? '' : 's'} failed.{' '}
                {retryable > 0 && (
                  <>
                    Retrying sends only what is missing.{' '}
                    <button type="button" onClick={() => manager.retryFailed()}>
                      Retry failed
                    </button>
                  </>
                )}
              </p>
            </div>
          )}
          <VirtualList
            items={items}
            getKey={(item) => item.id}
            label="Uploads"
            className="transfers uploads"
            hasControls={uploadRowHasControls}
            renderItem={(item, position, setSize) => (
              <UploadRow
                item={item}
                label={pathInFolder(item.relativePath ?? item.name, folder)}
                manager={manager}
                position={position}
                setSize={setSize}
              />
            )}
          />
        </>
      )}
    </section>
  );
}

const uploadRowHasControls = (item: UploadItem) => hasAny(uploadRowActions(item));

/** The folder (relative to the key prefix) an unfinished upload was going to. */
function folderOf(record: UploadRecord): string {
  const path = record.relativePath ?? record.name;
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/**
 * Each failure's reason is said (role="alert") by the row that first shows it, only: a windowed list
 * unmounts a row scrolled out of view and mounts it again when it comes back, and a screen reader
 * would announce the failure each time. Keyed by the error, so a retry that fails again is said again.
 */
const failureSaidBy = new WeakMap<NonNullable<UploadItem['error']>, object>();

/**
 * One row; memoised, so a change to one upload does not re-render the other 999. `label`: its path
 * below the folder uploads go to (the whole key is its title); `position` of `setSize`: its place in
 * the list, for screen readers (most rows are not in the page: see virtual-list.tsx).
 */
const UploadRow = memo(function UploadRow({
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
  const sayFailure = failure !== null && (failureSaidBy.get(failure) ?? self) === self;
  useEffect(() => {
    if (failure && !failureSaidBy.has(failure)) failureSaidBy.set(failure, self);
  }, [failure, self]);
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
          {label}
        </span>
        <span className="size">{size}</span>
        <span className="state" data-testid="upload-state">
          {STATUS_TEXT[item.status]}
        </span>
      </div>
      <ProgressBar
        done={bytesShown}
        total={item.size ?? 0}
        complete={item.status === 'done'}
        label={`Upload of ${label}`}
      />
      <div className="transfer-meta">
        <span>
          {formatBytes(bytesShown)} of {size}
        </span>
        {item.status === 'uploading' && !item.waiting && (
          <span>
            {formatSpeed(item.bytesPerSecond)} {formatEta(item.etaSeconds)}
          </span>
        )}
        {item.waiting && (
          <span className="note" data-testid="upload-waiting">
            {item.waiting === 'server' ? 'Waiting for the Hoist server…' : 'Waiting for the connection…'}
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
            “{item.conflict.key}” already exists ({formatBytes(item.conflict.existing.size)})
            {item.bytesUploaded > 0
              ? ': it was written while this file was uploading. Keep both sends the file again under a new name.'
              : '.'}
          </span>
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

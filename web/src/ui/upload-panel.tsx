import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { visibleName } from './visible-name.ts';
import {
  canRetry,
  cancelledByCancelAll,
  isFinished,
  type UploadFileInput,
  type UploadItem,
  type UploadRecord,
} from '../transfer/upload/index.ts';
import { pathInFolder } from '../transfer/upload/path-in-folder.ts';
import {
  storeFullNotice,
  nextAnnouncement,
  type Announcement,
} from '../transfer/upload/queue-announcement.ts';
import { filesFromDrop, filesFromInput } from './dropped-files.ts';
import { formatBytes, formatCount, formatRate } from './format.ts';
import { ProgressBar } from './progress-bar.tsx';
import { folderLabel, rootLabel } from './upload-folder.ts';
import { shortFolderLabel } from './breadcrumbs.ts';
import { sameRecords, unfinishedElsewhere } from './resumable-list.ts';
import { hasAny, uploadRowActions } from './row-actions.ts';
import { useFocusKept } from './use-focus-kept.ts';
import { useCardBroughtIntoView } from './card-into-view.ts';
import { useUploads } from './use-upload-manager.ts';
import { VirtualList } from './virtual-list.tsx';
import { SkipToObjects } from './skip-to-objects.tsx';
import { UploadRow } from './upload-row.tsx';
import { UploadSettingsPanel } from './upload-settings-panel.tsx';
import { addUploads } from './upload-settings-store.ts';

/**
 * `folder`: where new uploads go, relative to `rootPrefix` (the folder the object browser shows);
 * `onFolderChange` opens another one (where an unfinished upload was going).
 */
export function UploadPanel({
  rootPrefix,
  folder,
  onFolderChange,
  locked = false,
}: {
  rootPrefix: string;
  folder: string;
  onFolderChange: (folder: string) => void;
  /** Signed out: only the list, which waits for the session; nothing new is taken. */
  locked?: boolean;
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
  const card = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const keepFocus = useFocusKept(card, heading);
  useCardBroughtIntoView('uploads', true, heading);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const { items, totals } = snapshot;
  const nextMilestone = nextAnnouncement(announcement, totals, snapshot.storeFull !== null);
  if (nextMilestone !== announcement) setAnnouncement(nextMilestone);
  /** Files left out of the totals' counts, said beside them. */
  const leftOut =
    (totals.byStatus.skipped > 0 ? ` · ${formatCount(totals.byStatus.skipped)} skipped` : '') +
    (totals.byStatus.cancelled > 0 ? ` · ${formatCount(totals.byStatus.cancelled)} cancelled` : '');
  const retryable = totals.byStatus.failed > 0 ? items.filter(canRetry).length : 0;
  /** Confirmed bytes, plus how far the parts in flight have got (estimated from the measured rate). */
  const bytesShown = totals.bytesUploaded + totals.bytesSending;
  const rate = formatRate(totals.bytesPerSecond, totals.etaSeconds);
  /** Files whose name may still turn out taken (at create or at Complete): a choice for all covers them. */
  const unchecked =
    totals.byStatus.queued + totals.byStatus.hashing + totals.byStatus.uploading + totals.byStatus.paused;

  /** Multipart uploads ended here: each may have removed a journal record (one-part uploads have none). */
  const multipartEnded = items.filter(
    (item) => item.partCount > 1 && (item.status === 'done' || item.status === 'cancelled'),
  ).length;
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
  }, [manager, multipartEnded, items.length]);

  // Unfinished uploads not running again in this tab (the same path is the same upload).
  const unfinished = useMemo(
    () => unfinishedElsewhere(resumable, items, discarded),
    [resumable, items, discarded],
  );
  const add = (files: UploadFileInput[]) => addUploads(manager, folder, files);
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const { files, unreadable } = await filesFromDrop(e.dataTransfer);
    addUploads(manager, folder, files, { unreadable });
  };

  return (
    <section className="card" aria-labelledby="upload-heading" ref={card} {...keepFocus}>
      <h2 id="upload-heading" ref={heading}>
        Upload
      </h2>
      {!locked && (
        <div
          className={`dropzone${dragging ? ' dropzone-active' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => void onDrop(e)}
        >
          <p>Drop files or folders here, paste files, or</p>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Choose files
          </button>
          <button type="button" onClick={() => folderInput.current?.click()}>
            Choose a folder
          </button>
          <p className="destination" data-testid="upload-destination">
            Uploads go to{' '}
            <strong title={folderLabel(rootLabel(rootPrefix), folder)}>
              {shortFolderLabel(rootLabel(rootPrefix), folder)}
            </strong>
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
      )}
      {!locked && <UploadSettingsPanel />}

      {/* Always there, so screen readers watch it before the first milestone. */}
      <p className="sr-only" role="status" aria-label="Upload queue" data-testid="upload-announcement">
        {nextMilestone?.text}
      </p>

      {/* Always there (empty takes no room), so what comes into them is announced. */}
      <p className="note live-line" role="status" data-testid="upload-notice">
        {snapshot.notice}
      </p>
      <p className="note live-line" role="status" data-testid="discard-note">
        {discardNote}
      </p>

      {!locked && unfinished.length > 0 && (
        <div className="resumable" aria-label="Unfinished uploads">
          <h3>Unfinished uploads</h3>
          <p>Pick or drop the same file again in its folder to continue where it stopped.</p>
          <ul>
            {unfinished.map((r) => (
              <li key={r.id}>
                <span className="name">{visibleName(r.relativePath ?? r.name)}</span>{' '}
                <span>{formatBytes(r.size)}</span>{' '}
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
              {/* Everything cancelled or skipped: that alone, not "0 B of 0 B · 0 of 0 done" before it. */}
              {totals.files > 0 ? (
                <>
                  {formatBytes(bytesShown)} of {formatBytes(totals.bytesTotal)}
                  {totals.unsized > 0 && '…'} · {formatCount(totals.byStatus.done)} of{' '}
                  {formatCount(totals.files)} done{leftOut}
                </>
              ) : (
                leftOut.replace(/^ · /, '')
              )}
              {rate && ` · ${rate}`}
            </span>
            {/* Wrapped as one: on a narrow card they go under the count together, never one alone. */}
            <div className="totals-actions">
              <button
                type="button"
                onClick={() => manager.pauseAll()}
                disabled={totals.byStatus.queued + totals.byStatus.hashing + totals.byStatus.uploading === 0}
                data-partner-name="pause"
                data-partner="resume"
              >
                Pause all
              </button>
              <button
                type="button"
                onClick={() => manager.resumeAll()}
                disabled={totals.byStatus.paused === 0}
                data-partner-name="resume"
                data-partner="pause"
              >
                Resume all
              </button>
              <button
                type="button"
                onClick={() => manager.cancelAll()}
                disabled={!items.some(cancelledByCancelAll)}
                data-destructive
              >
                Cancel all
              </button>
              <button
                type="button"
                onClick={() => manager.clearFinished()}
                disabled={!items.some(isFinished)}
              >
                Clear finished
              </button>
            </div>
          </div>
          {snapshot.storeFull && (
            <div className="conflict" role="group" aria-label="Uploads paused">
              <span data-testid="upload-held">{storeFullNotice(snapshot.storeFull)}</span>
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
              <span className="conflict-actions">
                <button type="button" onClick={() => manager.resolveAllConflicts('replace')}>
                  Replace all
                </button>
                <button type="button" onClick={() => manager.resolveAllConflicts('keep-both')}>
                  Keep both for all
                </button>
                <button type="button" onClick={() => manager.resolveAllConflicts('skip')}>
                  Skip all
                </button>
              </span>
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
          <SkipToObjects />
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

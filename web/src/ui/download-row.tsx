import { memo } from 'react';
import type { DownloadItem, DownloadManager, DownloadStatus } from '../transfer/download/index.ts';
import { formatBytes, formatRate } from './format.ts';
import { ProgressBar } from './progress-bar.tsx';
import { downloadBehindText } from './download-behind-text.ts';
import { downloadRetryText } from './download-retry-text.ts';
import { downloadRowActions } from './row-actions.ts';
import { downloadSavedAs } from './saved-as.ts';
import { WAITING_TEXT } from './waiting-text.ts';
import { visibleName } from './visible-name.ts';

const STATUS_TEXT: Record<DownloadStatus, string> = {
  queued: 'Queued',
  exists: 'Already in folder',
  downloading: 'Downloading',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

/**
 * A file in the folder smaller than the object: an earlier download cut short (or another file). One
 * larger cannot be a short download: it is only another file.
 */
export const looksIncomplete = (item: DownloadItem) =>
  item.existingSize !== null && item.existingSize < item.size;

/**
 * What is in the folder beside what is in the bucket. The same size is only a hint: the contents are
 * not compared, so it is never called the same file.
 */
function ExistingFile({ item }: { item: DownloadItem }) {
  const sizes = `${formatBytes(item.existingSize ?? 0)} here, ${formatBytes(item.size)} in the bucket`;
  if (looksIncomplete(item))
    return (
      <span className="error" data-testid="download-existing">
        {sizes}: the file here looks incomplete.
      </span>
    );
  return (
    <span data-testid="download-existing">
      {sizes}
      {item.existingSize === item.size
        ? ' (same size; contents not compared).'
        : ': another file (larger than the object).'}
    </span>
  );
}

/** What a finished download was checked against: its checksum, its MD5 ETag, or only its size and why. */
function VerificationNote({ item }: { item: DownloadItem }) {
  const byEtag = item.verifiedAgainst === 'md5-etag';
  switch (item.verification) {
    case 'verified':
      return byEtag ? (
        <span title="The store keeps no checksum of this object; its ETag is the MD5 of its bytes (for an object uploaded in parts, of its parts' MD5s), and the download's matches it">
          Checksum verified (MD5 ETag)
        </span>
      ) : (
        <span>Checksum verified</span>
      );
    case 'unverified':
      return (
        <span title="The store keeps no checksum of this object, and its ETag is no MD5 of the bytes (a store's own tag, or SSE-KMS or SSE-C encryption): only its size could be compared">
          Size checked (no checksum to compare)
        </span>
      );
    case 'unverifiable':
      return byEtag ? (
        <span title="The store keeps no checksum of this object, and its ETag cannot be recomputed from this download: for an object uploaded in parts it is the MD5 of the parts' MD5s, which needs part sizes the store does not give (and neither parts as large as part 1 nor Hoist's own part size gave it back: the parts differ in size)">
          Size checked (this ETag can't be verified here)
        </span>
      ) : (
        <span title="The object's checksum cannot be recomputed from this download (a multipart checksum whose part layout is unknown, or a SHA checksum of an object downloaded in ranges into a folder that cannot be read back)">
          Size checked (this checksum can't be verified here)
        </span>
      );
    default:
      return null;
  }
}

/**
 * `position` of `setSize`: its place in the list, for screen readers (see virtual-list.tsx). `writer`:
 * the download this queued one waits for (`item.behind`), writing the same file. `nameFolder`: the
 * list holds downloads into several folders, so the row says which one it goes into.
 */
export const DownloadRow = memo(function DownloadRow({
  item,
  manager,
  position,
  setSize,
  writer,
  nameFolder = false,
}: {
  item: DownloadItem;
  manager: DownloadManager;
  position: number;
  setSize: number;
  writer?: DownloadItem | undefined;
  nameFolder?: boolean;
}) {
  const label = item.relativePath || item.key;
  const can = downloadRowActions(item);
  const savedAs = downloadSavedAs(item);
  return (
    <li
      className={`transfer status-${item.status}`}
      data-testid="download-row"
      data-status={item.status}
      aria-label={label}
      aria-posinset={position}
      aria-setsize={setSize}
    >
      <div className="transfer-head">
        <span className="name">{visibleName(item.keyPath)}</span>
        <span className="size">{formatBytes(item.size)}</span>
        <span className="state" data-testid="download-state">
          {item.waiting
            ? WAITING_TEXT[item.waiting]
            : item.verifying
              ? 'Verifying…'
              : item.saving
                ? 'Saving…'
                : STATUS_TEXT[item.status]}
        </span>
      </div>
      <ProgressBar
        done={item.status === 'done' ? item.size : item.loaded}
        total={item.size}
        complete={item.status === 'done'}
        label={`Download of ${label}`}
      />
      <div className="transfer-meta">
        {nameFolder && item.folder !== null && (
          <span data-testid="download-folder" title="The folder you picked for this download">
            into “{item.folder}”
          </span>
        )}
        {(item.status === 'downloading' || item.status === 'paused' || item.status === 'failed') && (
          // How far it got in words too, as upload rows say it: not only a bar (which forced colours,
          // Windows' high contrast, may paint over).
          <span data-testid="download-progress-text">
            {formatBytes(item.loaded)} of {formatBytes(item.size)}
          </span>
        )}
        {item.status === 'downloading' && !item.waiting && !item.saving && !item.verifying && (
          <span>{formatRate(item.speed, item.eta)}</span>
        )}
        {item.status === 'downloading' && item.retrying && !item.waiting && (
          <span className="note" data-testid="download-retrying">
            {downloadRetryText(item.retryingAfter, item.retries)}
          </span>
        )}
        {item.status === 'queued' && writer && (
          <span className="note" data-testid="download-behind">
            {downloadBehindText(writer, item.relativePath)}
          </span>
        )}
        {item.status === 'paused' && item.kept > 0 && (
          <span
            data-testid="download-kept"
            title="The browser puts a file in the folder only when it is finished: these bytes wait in its temporary file, and go if the tab is closed or reloaded"
          >
            {/* How much is in "x of y" beside it: said once. */}
            Kept while this tab is open; Resume goes on from there
          </span>
        )}
        {item.status === 'done' && <VerificationNote item={item} />}
        {savedAs !== null && (
          <span
            data-testid="download-saved-as"
            title="The key is not a valid file name as it is, or the name was taken"
          >
            {savedAs}
          </span>
        )}
        {item.status === 'exists' && item.existingSize !== null && <ExistingFile item={item} />}
        {item.error && <span className="error">{item.error.message}</span>}
      </div>
      <div className="actions">
        {can.resolve && (
          <>
            <button
              type="button"
              aria-label={`Replace ${label}`}
              onClick={() => manager.resolveExisting(item.id, 'replace')}
            >
              Replace
            </button>
            <button
              type="button"
              aria-label={`Keep both ${label}`}
              onClick={() => manager.resolveExisting(item.id, 'keep-both')}
            >
              Keep both
            </button>
            <button
              type="button"
              aria-label={`Skip ${label}`}
              onClick={() => manager.resolveExisting(item.id, 'skip')}
            >
              Skip
            </button>
          </>
        )}
        {/* One slot for Pause and Resume, so the button (and keyboard focus) stays put when it flips.
            Not while the file is saved or checked (row-actions.ts): there is nothing to pause. */}
        {can.pauseOrResume && (
          <button
            type="button"
            aria-label={`${item.status === 'paused' ? 'Resume' : 'Pause'} download of ${label}`}
            onClick={() => (item.status === 'paused' ? manager.resume(item.id) : manager.pause(item.id))}
          >
            {item.status === 'paused' ? 'Resume' : 'Pause'}
          </button>
        )}
        {can.cancel && (
          <button
            type="button"
            aria-label={`Cancel download of ${label}`}
            title={item.verifying ? 'Stops the check and removes the file' : undefined}
            onClick={() => manager.cancel(item.id)}
          >
            Cancel
          </button>
        )}
        {can.resume ? (
          <>
            <button
              type="button"
              aria-label={`Resume download of ${label}`}
              title={`Goes on from the ${formatBytes(item.kept)} already kept`}
              onClick={() => manager.retry(item.id)}
            >
              Resume
            </button>
            <button
              type="button"
              aria-label={`Start download of ${label} over`}
              onClick={() => {
                manager.discardPartial(item.id);
                manager.retry(item.id);
              }}
            >
              Start over
            </button>
          </>
        ) : (
          can.retry && (
            <button
              type="button"
              aria-label={`Retry download of ${label}`}
              onClick={() => manager.retry(item.id)}
            >
              Retry
            </button>
          )
        )}
        {can.remove && (
          <button
            type="button"
            aria-label={`Remove ${label} from the list`}
            title={item.kept > 0 ? 'Also gives up the part already saved' : undefined}
            onClick={() => manager.remove(item.id)}
          >
            Remove
          </button>
        )}
      </div>
    </li>
  );
});

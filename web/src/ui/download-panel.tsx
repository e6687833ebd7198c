import { useEffect, useLayoutEffect, useMemo, useRef, type RefObject } from 'react';
import { visibleName } from './visible-name.ts';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import {
  canRetryDownload,
  createFileSystemDestination,
  pickDownloadFolder,
  supportsDirectoryPicker,
  type Destination,
  type FolderOverlap,
  type DownloadItem,
  type DownloadSnapshot,
} from '../transfer/download/index.ts';
import { listAllObjects } from '../api/objects.ts';
import { expandSelection } from './selection.ts';
import { isFolderMarker } from '../../../server/shared/folder-marker.ts';
import { formatBytes, formatCount, formatRate } from './format.ts';
import { ProgressBar } from './progress-bar.tsx';
import { downloadRowActions, hasAny } from './row-actions.ts';
import {
  downloadNotices,
  downloadStarting,
  useDownloadNotice,
  useDownloadStarting,
  type DownloadNotice,
} from './download-notice.ts';
import { getDownloadManager, useDownloads } from './use-downloads.ts';
import { HELD_TEXT, downloadAnnouncement } from './download-announcement.ts';
import { fallbackRun, useFallbackRun, type FallbackProgress } from './fallback-run.ts';
import { downloadListing, useDownloadListing, type DownloadListing } from './download-listing.ts';
import { useFocusKept } from './use-focus-kept.ts';
import { useLeaveWarning } from './use-leave-warning.ts';
import { VirtualList } from './virtual-list.tsx';
import { webLocks } from '../transfer/shared/locks.ts';
import { SkipToObjects } from './skip-to-objects.tsx';
import { DownloadRow, looksIncomplete } from './download-row.tsx';
import { intoSeveralFolders } from './download-folders.ts';
import { WAITING_TEXT } from './waiting-text.ts';
import { bringCardIntoView, useCardBroughtIntoView } from './card-into-view.ts';

/** Failure reasons listed in the Failed downloads box; the rest are on their rows. */
const FAILURES_LISTED = 20;

/** Lists what is to be downloaded; `found` hears how many objects each list call gave. */
type ListEntries = (signal: AbortSignal, found: (count: number) => void) => Promise<ObjectEntry[]>;

/**
 * Starts downloads into a folder the user picks, or one by one through the browser's downloads where
 * there is no folder picker. What it has to say goes to the Downloads card (`downloadNotices`).
 */
async function startDownloads(
  entries: ObjectEntry[] | ListEntries,
  prefix: string,
  /** What was asked for, as a notice names it ("“photos/”", "the selection"). */
  what: string,
): Promise<void> {
  // One start at a time: a second click while the picker is open or the folder is listed is ignored.
  if (downloadStarting.get()) return;
  downloadStarting.set(true);
  try {
    await startDownloadsNow(entries, prefix, what);
  } finally {
    downloadStarting.set(false);
  }
}

/**
 * Destinations by folder: the same folder picked again, while rows going into it are listed, is the
 * same Destination to the manager (which files it claims). One no row uses any more is forgotten: a
 * tab kept every folder it was ever given, and compared each new pick with all of them.
 */
let destinations: { handle: FileSystemDirectoryHandle; destination: Destination }[] = [];

async function destinationFor(handle: FileSystemDirectoryHandle): Promise<Destination> {
  const manager = getDownloadManager();
  destinations = destinations.filter((known) => manager.uses(known.destination));
  for (const known of destinations) {
    if (await known.handle.isSameEntry(handle).catch(() => false)) return known.destination;
  }
  // A folder inside or around one that rows go into shares files with it: the manager counts them as
  // one (a download into "Downloads/photos" waits for one into "Downloads" of the same file, then asks).
  const overlaps: FolderOverlap[] = [];
  for (const known of destinations) {
    // The path from the outer folder to the inner one; null when neither holds the other.
    const inside = await known.handle.resolve(handle).catch(() => null);
    const around = await handle.resolve(known.handle).catch(() => null);
    const { destination } = known;
    if (inside?.length) overlaps.push({ destination, relation: 'inside', path: inside.join('/') });
    else if (around?.length) overlaps.push({ destination, relation: 'around', path: around.join('/') });
  }
  // Web Locks tell a closed tab's leftover partial file from one another tab writes (both secure-context
  // only, as the folder picker is).
  const destination = createFileSystemDestination(handle, {
    locks: 'locks' in navigator ? webLocks() : null,
    overlaps,
  });
  destinations.push({ handle, destination });
  return destination;
}

async function startDownloadsNow(
  entries: ObjectEntry[] | ListEntries,
  prefix: string,
  what: string,
): Promise<void> {
  downloadNotices.clear();
  const fail = (text: string) => downloadNotices.show({ kind: 'error', text });
  let handle: FileSystemDirectoryHandle | null = null;
  if (supportsDirectoryPicker()) {
    // Ask for the folder first: the picker needs the click's user activation.
    try {
      handle = await pickDownloadFolder();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return; // the user closed the picker
      fail(`The folder could not be opened: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
  bringCardIntoView('downloads');
  let list: ObjectEntry[];
  if (typeof entries === 'function') {
    // Said in the card with a count and Stop while it lists: a big folder is many list calls.
    const listing = downloadListing.begin(what);
    try {
      list = await entries(listing.signal, listing.found);
    } catch (error) {
      if (listing.signal.aborted) {
        downloadNotices.show({ kind: 'info', text: `Stopped listing ${what}: nothing was downloaded.` });
      } else {
        fail(`Could not list the folder: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    } finally {
      listing.end();
    }
  } else {
    list = entries;
  }
  // Folder markers ("photos/", from the S3 console's "Create folder") hold no file; an object named
  // so with content does, and is saved under a file name ("photos" beside, "photos (file)" in a folder).
  const items = list
    .filter((e) => !isFolderMarker(e))
    .map((e) => ({ key: e.key, size: e.size, etag: e.etag }));
  if (items.length === 0) {
    // Said, not silently nothing: the folder picked stays as it was.
    downloadNotices.show({ kind: 'info', text: `Nothing to download: ${what} holds no files.` });
    return;
  }
  if (handle) {
    // Objects already on their way into this folder are not queued again (the manager checks).
    getDownloadManager().start(items, await destinationFor(handle), { prefix });
    return;
  }
  downloadNotices.show({ kind: 'fallback' });
  // Runs on after this start is over (the card shows it, with Stop): the buttons are free again, and
  // what they start joins it.
  void fallbackRun.add(items);
}

/** A folder being listed before its download starts: how many files so far, with Stop. */
function ListingLine({ listing }: { listing: DownloadListing }) {
  return (
    <p className="note" data-testid="download-listing">
      Listing {listing.what}: {formatCount(listing.found)} found so far…{' '}
      <button type="button" onClick={() => downloadListing.stop()}>
        Stop listing
      </button>
    </p>
  );
}

/** The files handed to the browser's own downloads (no folder picker here), with Stop while it runs. */
function FallbackLine({ run }: { run: FallbackProgress }) {
  const files = (n: number) => `${formatCount(n)} file${n === 1 ? '' : 's'}`;
  return (
    <p className="note" data-testid="fallback-progress">
      {run.running
        ? `Handing files to the browser's downloads: ${formatCount(run.handed)} of ${files(run.total)}.`
        : run.stopped
          ? `Stopped: ${files(run.handed)} of ${formatCount(run.total)} went to the browser's downloads.`
          : `${files(run.handed)} went to the browser's downloads.`}{' '}
      {run.running ? (
        <button type="button" onClick={() => fallbackRun.stop()}>
          Stop
        </button>
      ) : (
        <button type="button" aria-label="Dismiss this line" onClick={() => fallbackRun.clear()}>
          Dismiss
        </button>
      )}
    </p>
  );
}

/** The ticked objects, and everything under the ticked folders (keeping their structure). */
export function DownloadSelected({
  entries,
  folders,
  prefix,
  busy = false,
}: {
  entries: ObjectEntry[];
  folders: string[];
  prefix: string;
  /** A delete or move runs: the objects may be gone by the time they are fetched. */
  busy?: boolean;
}) {
  const starting = useDownloadStarting();
  return (
    <button
      type="button"
      disabled={entries.length + folders.length === 0 || busy}
      aria-busy={starting}
      onClick={() =>
        void startDownloads(
          folders.length === 0
            ? entries
            : (signal, found) => expandSelection(entries, folders, (f) => listAllObjects(f, signal, found)),
          prefix,
          'the selection',
        )
      }
    >
      Download selected
    </button>
  );
}

/** Everything under a folder, keeping its structure inside the chosen folder. */
export function DownloadFolder({
  folder,
  prefix,
  label,
  busy = false,
}: {
  folder: string;
  prefix: string;
  label: string;
  /** A delete or move runs. */
  busy?: boolean;
}) {
  const starting = useDownloadStarting();
  return (
    <button
      type="button"
      aria-label={`Download folder ${label}`}
      disabled={busy}
      aria-busy={starting}
      onClick={() =>
        void startDownloads(
          (signal, found) => listAllObjects(folder, signal, found),
          prefix,
          `“${visibleName(label)}”`,
        )
      }
    >
      Download
    </button>
  );
}

const FALLBACK_TEXT =
  'This browser cannot save into a folder you choose, so each file goes to your usual downloads folder, one after another (no progress or folder structure).';

/** What a notice says; errors are alerts where shown, the rest is said by the panel's live line. */
function noticeText(notice: DownloadNotice): string {
  return notice.kind === 'fallback' ? FALLBACK_TEXT : notice.text;
}

function NoticeLine({ notice }: { notice: DownloadNotice }) {
  return (
    <p role={notice.kind === 'error' ? 'alert' : undefined} className="note" data-testid="download-notice">
      {noticeText(notice)}{' '}
      <button type="button" aria-label="Dismiss this notice" onClick={() => downloadNotices.dismiss()}>
        Dismiss
      </button>
    </p>
  );
}

export function DownloadPanel() {
  const { manager, snapshot } = useDownloads();
  const notice = useDownloadNotice();
  const { items, totals, failed, existing, renamed } = snapshot;
  /** Downloads left out of the totals' counts, said beside them (or alone, when that is all there is). */
  const leftOut = [
    totals.counts.cancelled > 0 && `${formatCount(totals.counts.cancelled)} cancelled`,
    totals.counts.skipped > 0 && `${formatCount(totals.counts.skipped)} skipped`,
  ].filter((said) => said !== false);
  const rate = formatRate(totals.speed, totals.eta);
  const incomplete = existing.filter(looksIncomplete).length;
  const heldFor = snapshot.held ? snapshot.heldFor : null;
  const announcement = downloadAnnouncement(totals, snapshot.active, heldFor, renamed.length);
  const card = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const keepFocus = useFocusKept(card, heading);
  const place = useRef<HTMLParagraphElement>(null);
  const fallback = useFallbackRun();
  const listing = useDownloadListing();
  // Files not yet handed over are lost with the tab: ask first.
  useLeaveWarning(fallback?.running === true);
  // Said from a line that is in the page before there is anything to say (the card may not be yet):
  // a live region that comes into the page with its text is not read out by every screen reader. The
  // browser-downloads run's start and end are said; its count, changing every file, is only shown.
  const said = [
    listing && `Listing ${listing.what} to download it.`,
    notice && notice.kind !== 'error' && noticeText(notice),
    fallback &&
      (fallback.running
        ? `Handing ${formatCount(fallback.total)} files to the browser's downloads.`
        : fallback.stopped
          ? 'Stopped handing files to the browser.'
          : `${formatCount(fallback.handed)} files went to the browser's downloads.`),
  ]
    .filter(Boolean)
    .join(' ');
  const liveLine = (
    <p className="sr-only" role="status" data-testid="download-said" ref={place}>
      {said}
    </p>
  );
  const nameFolders = useMemo(() => intoSeveralFolders(items), [items]);
  const shown = items.length > 0 || notice !== null || fallback !== null || listing !== null;
  useFocusMovedOn(shown, card, place);
  useCardBroughtIntoView('downloads', shown, heading);
  if (!shown) return liveLine;
  return (
    <>
      {liveLine}
      <section className="card" aria-labelledby="downloads-heading" ref={card} {...keepFocus}>
        <h2 id="downloads-heading" ref={heading}>
          Downloads
        </h2>
        {listing && <ListingLine listing={listing} />}
        {notice && <NoticeLine notice={notice} />}
        {fallback && <FallbackLine run={fallback} />}
        {items.length > 0 && (
          <>
            <div className="totals">
              <ProgressBar
                done={totals.loaded}
                total={totals.bytes}
                complete={totals.complete}
                label="All downloads"
              />
              <span data-testid="download-totals">
                {/* Everything cancelled or skipped: that alone, not "0 B of 0 B · 0 of 0 done" before it. */}
                {totals.files > 0 && (
                  <>
                    {formatBytes(totals.loaded)} of {formatBytes(totals.bytes)} ·{' '}
                    {formatCount(totals.counts.done)} of {formatCount(totals.files)} done
                  </>
                )}
                {totals.counts.failed > 0 && (
                  <span className="error"> · {formatCount(totals.counts.failed)} failed</span>
                )}
                {leftOut.length > 0 && `${totals.files > 0 ? ' · ' : ''}${leftOut.join(' · ')}`}
                {totals.counts.paused > 0 && ` · ${formatCount(totals.counts.paused)} paused`}
                {totals.waitingFor && ` · ${WAITING_TEXT[totals.waitingFor]}`}
                {rate && ` · ${rate}`}
              </span>
              {/* Wrapped as one: on a narrow card they go under the count together, never one alone. */}
              <div className="totals-actions">
                <button
                  type="button"
                  onClick={() => manager.pauseAll()}
                  disabled={!snapshot.active}
                  data-partner-name="pause"
                  data-partner="resume"
                >
                  Pause all downloads
                </button>
                <button
                  type="button"
                  onClick={() => manager.resumeAll()}
                  disabled={!snapshot.paused}
                  data-partner-name="resume"
                  data-partner="pause"
                >
                  Resume all downloads
                </button>
                <button
                  type="button"
                  onClick={() => manager.cancelAll()}
                  disabled={!snapshot.active && !snapshot.paused && existing.length === 0}
                  data-destructive
                >
                  Cancel all downloads
                </button>
                <button
                  type="button"
                  onClick={() => manager.clearFinished()}
                  disabled={totals.counts.done + totals.counts.cancelled + totals.counts.skipped === 0}
                >
                  Clear finished
                </button>
              </div>
            </div>
            <p role="status" className="sr-only" data-testid="download-announcement">
              {announcement}
            </p>
            {heldFor && (
              <div className="conflict" role="group" aria-label="Downloads paused">
                <span data-testid="download-held">
                  {HELD_TEXT[heldFor].why}
                  {totals.counts.queued > 0 &&
                    ` ${totals.counts.queued} ${totals.counts.queued === 1 ? 'download waits' : 'downloads wait'}.`}{' '}
                  {heldFor === 'disk-full'
                    ? 'Free some space on its disk, then Resume.'
                    : HELD_TEXT[heldFor].fix}
                </span>
                <button type="button" onClick={() => manager.resumeHeld()}>
                  Resume downloads
                </button>
              </div>
            )}
            {existing.length > 0 && (
              <div className="conflict" role="group" aria-label="Files already in the folder">
                <span>
                  {formatCount(existing.length)} file{existing.length === 1 ? ' is' : 's are'} already in the
                  folder.
                  {incomplete > 0 &&
                    ` ${formatCount(incomplete)} ${incomplete === 1 ? 'looks' : 'look'} incomplete (smaller than in the bucket): Skip keeps ${incomplete === 1 ? 'it' : 'them'} as ${incomplete === 1 ? 'it is' : 'they are'}.`}
                </span>
                <span className="conflict-actions">
                  <button type="button" onClick={() => manager.resolveAllExisting('replace')}>
                    Replace all
                  </button>
                  <button type="button" onClick={() => manager.resolveAllExisting('keep-both')}>
                    Keep both for all
                  </button>
                  <button type="button" onClick={() => manager.resolveAllExisting('skip')}>
                    Skip all
                  </button>
                </span>
              </div>
            )}
            {failed.length > 0 && (
              <div className="failures" role="group" aria-label="Failed downloads">
                <p>
                  {formatCount(failed.length)} download{failed.length === 1 ? '' : 's'} failed.{' '}
                  {failed.some(canRetryDownload) && (
                    <button type="button" onClick={() => manager.retryFailed()}>
                      Retry failed
                    </button>
                  )}
                </p>
                <ul>
                  {failed.slice(0, FAILURES_LISTED).map((f) => (
                    <li key={f.id} data-testid="download-failure">
                      {/* Named as its row names it. */}
                      {visibleName(f.keyPath)}: {f.error?.message}
                      {f.kept > 0 &&
                        ` ${formatBytes(f.kept)} kept while this tab is open; retrying goes on from there.`}
                    </li>
                  ))}
                  {failed.length > FAILURES_LISTED && (
                    <li>
                      …and {failed.length - FAILURES_LISTED} more, each with its reason on its row below.
                    </li>
                  )}
                </ul>
              </div>
            )}
            {renamed.length > 0 && (
              <details className="renamed" data-testid="download-renamed">
                <summary>
                  {formatCount(renamed.length)} {renamed.length === 1 ? 'file was' : 'files were'} saved under
                  another name
                </summary>
                <ul>
                  {renamed.slice(0, FAILURES_LISTED).map((r) => (
                    <li key={r.id}>
                      “{visibleName(r.keyPath)}” as “{r.relativePath}”
                    </li>
                  ))}
                  {renamed.length > FAILURES_LISTED && (
                    <li>
                      …and {formatCount(renamed.length - FAILURES_LISTED)} more, each said on its row below.
                    </li>
                  )}
                </ul>
              </details>
            )}
            <SkipToObjects />
            <VirtualList
              items={items}
              getKey={(item) => item.id}
              label="Downloads"
              hasControls={downloadRowHasControls}
              renderItem={(item, position, setSize) => (
                <DownloadRow
                  item={item}
                  manager={manager}
                  position={position}
                  setSize={setSize}
                  writer={writerOf(item, snapshot)}
                  nameFolder={nameFolders}
                />
              )}
            />
          </>
        )}
      </section>
    </>
  );
}

const downloadRowHasControls = (item: DownloadItem) => hasAny(downloadRowActions(item));

/** The row of the download `item` waits for (the same file in the folder), if it waits for one. */
const writerOf = (item: DownloadItem, { items, index }: DownloadSnapshot): DownloadItem | undefined =>
  item.behind === null ? undefined : items[index.get(item.behind) ?? -1];

/**
 * When the card goes (Clear finished on its last rows, Remove of the last row, Dismiss of the last
 * notice) with the keyboard focus in it, the focus would fall to the page and the next Tab start from
 * its top: it moves on to the next card's heading instead (the Objects card), else the one before
 * (useFocusKept keeps it within the card while the card stays). `place`: where the card was, a line
 * that stays in the page.
 */
function useFocusMovedOn(
  shown: boolean,
  card: RefObject<HTMLElement | null>,
  place: RefObject<HTMLElement | null>,
): void {
  /** The focus was last inside the card (a focus anywhere else in the page says otherwise). */
  const focusInCard = useRef(false);
  useEffect(() => {
    const onFocusIn = (e: FocusEvent) => {
      focusInCard.current = e.target instanceof Node && card.current?.contains(e.target) === true;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, [card]);
  useLayoutEffect(() => {
    if (shown || !focusInCard.current) return;
    focusInCard.current = false;
    // A frame later, and only if the focus is still on the page, as useFocusKept does.
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active !== null && active !== document.body && active !== document.documentElement) return;
      const target = headingBeside(place.current);
      if (!target) return;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [shown, place]);
}

/** The heading of the next card after `el` in the page, else of the one before it. */
function headingBeside(el: HTMLElement | null): HTMLElement | null {
  const headingOf = (node: Element) => (node.matches('h2') ? node : node.querySelector('h2'));
  for (let next = el?.nextElementSibling; next; next = next.nextElementSibling) {
    const heading = headingOf(next);
    if (heading instanceof HTMLElement) return heading;
  }
  for (let before = el?.previousElementSibling; before; before = before.previousElementSibling) {
    const heading = headingOf(before);
    if (heading instanceof HTMLElement) return heading;
  }
  return null;
}

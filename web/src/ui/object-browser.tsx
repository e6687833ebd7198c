import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { visibleName } from './visible-name.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BucketVersioning, ObjectEntry } from '../../../server/shared/api-types.ts';
import { isFolderMarker } from '../../../server/shared/folder-marker.ts';
import { formatBytes } from './format.ts';
import { createFolder, deleteObjects, listObjects, objectsKey } from '../api/objects.ts';
import { retryWhileUnreachable, unreachableDelayMs } from '../api/unreachable-retry.ts';
import { sortEntries, sortFolders, sortSummary, type SortKey } from './sort-entries.ts';
import { DownloadSelected } from './download-panel.tsx';
import { DeleteFolderDialog } from './delete-folder.tsx';
import { CopyDialog } from './copy-dialog.tsx';
import { ConfirmDelete, DeleteResult } from './delete-selected.tsx';
import { TotalSizePanel } from './total-size-panel.tsx';
import { RenamePanel, RenameResult } from './rename-panel.tsx';
import { renameSummary } from './rename-summary.ts';
import { SharePanel } from './share-panel.tsx';
import { DetailsPanel } from './details-panel.tsx';
import { DeletedPanel } from './deleted-panel.tsx';
import { NewFolderForm } from './new-folder-form.tsx';
import { breadcrumbs, shortFolderLabel } from './breadcrumbs.ts';
import { FolderBreadcrumbs } from './folder-breadcrumbs.tsx';
import { useFocusKept } from './use-focus-kept.ts';
import { bucketRun } from './bucket-run.ts';
import { ApiError } from '../transfer/upload/upload-api.ts';
import { FAILING_POLL_MS } from './use-health.ts';
import { folderHref } from './folder-url.ts';
import { FolderRow, ObjectRow, OpensInNewTab } from './object-row.tsx';
import { SortHeader } from './sort-header.tsx';
import { NarrowSort } from './narrow-sort.tsx';
import { useNarrow } from './use-narrow.ts';
import { deleteSummary } from './delete-summary.ts';
import { deleteWarning } from './delete-warning.ts';
import { describeSelection, tickState, toggleRows } from './selection.ts';
import { LiveLine } from './live-line.tsx';
import { filterSummary } from './filter-summary.ts';
import { objectsChanged } from './objects-changed.ts';
import { OBJECTS_HEADING_ID } from './skip-to-objects.tsx';
import { mayDiscardEdits } from './unsaved-edits.ts';

const PAGE_SIZE = 100;
/** Typing in the filter lists the folder again once the keys stop for this long (not per key). */
const FILTER_DELAY_MS = 250;

/**
 * What is open above the table: one action at a time, as in the S3 console. Opening another
 * closes it, except while a delete runs: the buttons that open actions are off until it ends.
 */
type Action =
  | { kind: 'new-folder' }
  | { kind: 'share'; entry: ObjectEntry }
  | { kind: 'details'; entry: ObjectEntry }
  /** The objects a delete hid in this folder, on a versioned bucket. */
  | { kind: 'deleted-objects' }
  | { kind: 'rename'; entry: ObjectEntry }
  | { kind: 'delete-folder'; folder: string }
  /** "Move or copy" of what is ticked: what the dialog was opened for. */
  | { kind: 'copy-selection'; folders: string[]; objects: ObjectEntry[]; opened: number }
  /** A folder's own "Rename" (its whole prefix). */
  | { kind: 'rename-folder'; folder: string }
  /** "Delete selected" with folders ticked: what the dialog was opened for. */
  | { kind: 'delete-selection'; folders: string[]; objects: ObjectEntry[]; opened: number }
  /** "Calculate total size" of what is ticked: what it was opened for. */
  | { kind: 'total-size'; folders: string[]; objects: ObjectEntry[]; opened: number }
  /** "Delete selected" of objects only: the confirmation, then (`remove.data`) what it did. */
  | { kind: 'confirm-delete' }
  | { kind: 'deleted' }
  /** One object renamed: what became of it, and the folder it went to when not this one. */
  | { kind: 'renamed'; summary: string; folder: string | null };

/**
 * Browses the keys below `rootPrefix`; `folder` (relative to it, '' or ending in '/') is the one shown.
 * `versioning` (the bucket's, from the health report) decides what delete prompts say of undoing.
 */
export function ObjectBrowser(props: {
  rootPrefix: string;
  bucket: string;
  versioning: BucketVersioning | undefined;
  folder: string;
  onFolderChange: (folder: string) => void;
}) {
  const { rootPrefix } = props;
  const prefix = rootPrefix + props.folder;
  /** What the filter box shows, at once; `query` is what the listing is for, a moment behind. */
  const [filter, setFilter] = useState('');
  const [query, setQuery] = useState('');
  /** The folder "New folder" just made (`existed`: it was there already) and opened. */
  const [created, setCreated] = useState<{ name: string; existed: boolean } | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  /** A delete or a move runs: other actions wait for it (closing its dialog would stop it). */
  const [busy, setBusy] = useState(false);
  /** The folder this component last opened, to tell when another part of the page opened one. */
  const [shown, setShown] = useState(props.folder);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'name', dir: 1 });
  /** What the last click on a column header did, for screen readers (null until one is clicked). */
  const [sortSaid, setSortSaid] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const queryClient = useQueryClient();
  /** The folder's name in the breadcrumbs: where focus goes when what had it is gone. */
  const here = useRef<HTMLSpanElement>(null);
  /** The button that opened a panel, given focus back when the panel closes. */
  const opener = useRef<HTMLElement | null>(null);
  /** Set on closing a panel: focus moves once the page has re-rendered (the opener may turn on again). */
  const focusBack = useRef<{ gone: boolean } | null>(null);
  const focusHere = useRef(false);
  // Each asks first when it would throw away what is typed in Edit properties (unsaved-edits.ts).
  const open = (from: HTMLElement, next: Action) => {
    if (!mayDiscardEdits()) return;
    opener.current = from;
    remove.reset();
    setAction(next);
  };
  /** Closes the panel; focus back to the opener, or to the folder's name when the opener is gone (`gone`) or off. */
  const close = (gone = false) => {
    if (!mayDiscardEdits()) return;
    setAction(null);
    focusBack.current = { gone };
  };
  useEffect(() => {
    const back = focusBack.current;
    if (!back) return;
    focusBack.current = null;
    const el = opener.current;
    opener.current = null;
    if (!back.gone && el?.isConnected && !(el instanceof HTMLButtonElement && el.disabled)) el.focus();
    else here.current?.focus();
  });
  const cursor = cursors[cursors.length - 1] ?? null;
  const listPrefix = prefix + query;

  const page = useQuery({
    queryKey: objectsKey(prefix, query, cursor, PAGE_SIZE),
    queryFn: ({ signal }) => listObjects(listPrefix, cursor, PAGE_SIZE, signal),
    // While another page or filter of this folder loads, its rows stay; another folder's never do
    // (named against this folder, and clickable, they would be wrong rows).
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1] === prefix ? previous : undefined,
    // The Hoist server could not be reached (restarting, say): asked again every few seconds, so the
    // list comes back by itself, as the health banner does, and not only on "Try again".
    refetchInterval: (q) =>
      q.state.error instanceof ApiError && q.state.error.code === 'network' ? FAILING_POLL_MS : false,
  });
  // The folder's own marker object ("photos/", made by the S3 console's "Create folder") is not a file;
  // one that holds bytes has no name in here, and is said above the list instead (`ownObject`).
  const ownObject = (page.data?.objects ?? []).find((o) => o.key === prefix && !isFolderMarker(o));
  const objects = useMemo(
    () =>
      sortEntries(
        (page.data?.objects ?? []).filter((o) => !o.key.endsWith('/')),
        sort.key,
        sort.dir,
      ),
    [page.data, sort],
  );
  const folders = useMemo(() => sortFolders(page.data?.folders ?? [], sort.key, sort.dir), [page.data, sort]);
  /** Every row's key in screen order (folders first, as they are drawn): what ticks and shift-ranges cover. */
  const rowKeys = useMemo(() => [...folders, ...objects.map((o) => o.key)], [folders, objects]);
  const refreshList = () => objectsChanged(queryClient);

  const remove = useMutation({
    // Each at the ETag it was listed at: one written again since is kept, and said so.
    mutationFn: async (keys: string[]) => {
      const listed = new Map((page.data?.objects ?? []).map((o) => [o.key, o.etag]));
      const etags = Object.fromEntries(
        keys.flatMap((k) => (listed.get(k) ? [[k, listed.get(k)!] as const] : [])),
      );
      const result = await deleteObjects(keys, undefined, etags);
      return {
        ...result,
        errors: result.errors.map((e) =>
          e.changed ? { ...e, message: 'written again since it was listed, so it was kept' } : e,
        ),
      };
    },
    // A server restarting is waited out a few seconds, as a folder delete does (sent again, a key
    // deleted already counts as deleted).
    retry: retryWhileUnreachable,
    retryDelay: unreachableDelayMs,
    onSettled: refreshList,
  });
  /**
   * On success only the keys S3 refused stay ticked, and the page says what was deleted; a failed call
   * keeps the whole selection and the confirmation open, to try again. Given to this call alone, so a
   * delete the page has moved on from (another folder: `remove.reset()`) does not tick or close there.
   */
  const deleteSelected = (keys: string[]) =>
    remove.mutate(keys, {
      onSuccess: (result) => {
        setSelected(new Set(result.errors.map((e) => e.key)));
        // Focus goes to the result's Close (its summary is said by the live line): Escape or Enter
        // there closes it, and focus then goes back to "Delete selected", or the folder's name.
        setAction({ kind: 'deleted' });
      },
    });
  /** What "Delete selected" did, while its result is open. */
  const deleted =
    action?.kind === 'deleted' && remove.data
      ? {
          summary: deleteSummary({
            deleted: (remove.variables?.length ?? 0) - remove.data.errors.length,
            total: remove.variables?.length ?? 0,
            errors: remove.data.errors,
          }),
          failed: remove.data.errors.length > 0,
        }
      : null;
  /** A delete or move runs: what acts on the rows waits for it (they may be gone when it ends). */
  const locked = busy || remove.isPending;

  /** Each "Move or copy" and "Delete selected" opens afresh, for what is ticked then (and takes focus). */
  const opens = useRef(0);
  /**
   * What stays open once the ticks change: a delete confirmation, or a move or folder delete that has
   * not started, was for the rows ticked before, so it closes (a run goes on with what it counted).
   */
  const busyNow = useRef(busy);
  useEffect(() => {
    busyNow.current = busy;
  }, [busy]);
  const forSelection = useCallback(
    (a: Action | null): Action | null =>
      a?.kind === 'confirm-delete' ||
      a?.kind === 'total-size' ||
      ((a?.kind === 'copy-selection' || a?.kind === 'delete-selection') && !busyNow.current)
        ? null
        : a,
    [],
  );
  /** Another page of the listing (a new filter, the next page…): what was ticked is no longer shown. */
  const showPage = (next: (string | null)[]) => {
    setCursors(next);
    setSelected(new Set());
    setAnchor(null);
    setAction(forSelection);
  };
  // The listing follows the filter box once typing pauses; the box itself never waits.
  useEffect(() => {
    if (filter === query) return;
    const timer = setTimeout(() => {
      setQuery(filter);
      // As showPage([null]): the rows ticked are no longer shown.
      setCursors([null]);
      setSelected(new Set());
      setAnchor(null);
      setAction(forSelection);
    }, FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter, query, forSelection]);
  const reset = () => {
    setCreated(null);
    // Another folder: whatever was open goes (a delete that runs stops, as its Stop button does).
    setAction(null);
    setBusy(false);
    setFilter('');
    setQuery('');
    showPage([null]);
  };
  const go = (next: string) => {
    if (!mayDiscardEdits()) return;
    focusHere.current = true;
    const folder = next.slice(rootPrefix.length);
    setShown(folder);
    props.onFolderChange(folder);
    reset();
  };
  // A delete's outcome belongs to the folder it was made in.
  const forgetDelete = remove.reset;
  useEffect(() => forgetDelete(), [props.folder, forgetDelete]);
  // A folder opened from here: the button that opened it is gone, its name takes focus.
  useEffect(() => {
    if (!focusHere.current) return;
    focusHere.current = false;
    here.current?.focus();
  }, [props.folder]);
  // Another part of the page opened a folder (an unfinished upload's): start it afresh, as `go` does.
  if (shown !== props.folder) {
    setShown(props.folder);
    reset();
  }

  const toggle = (index: number, e: { shiftKey: boolean }) => {
    if (rowKeys[index] === undefined) return;
    setSelected(toggleRows(rowKeys, selected, index, { shiftKey: e.shiftKey, anchor }));
    setAnchor(rowKeys[index]);
    // A confirmation is for the selection it named: another tick closes it (it may have closed
    // itself already when its rows vanished in a refetch, and must not come back on its own).
    setAction(forSelection);
  };

  const ticks = tickState(rowKeys, selected);
  /** Only rows on screen are ever acted on, whatever else the set still holds. */
  const selectedEntries = objects.filter((o) => selected.has(o.key));
  const selectedKeys = selectedEntries.map((o) => o.key);
  const selectedFolders = folders.filter((f) => selected.has(f));
  const selectedCount = selectedKeys.length + selectedFolders.length;
  const crumbs = breadcrumbs(rootPrefix, prefix);
  const warning = deleteWarning(props.versioning);
  /** A folder's link: the page's address with the folder (relative to the root) in `?prefix=`. */
  const hrefOf = (full: string) => folderHref(window.location, full.slice(rootPrefix.length));
  const manyPages = cursors.length > 1 || Boolean(page.data?.nextCursor);
  const sortBy = (key: SortKey, dir: 1 | -1) => {
    setSort({ key, dir });
    setSortSaid(sortSummary(key, dir, manyPages));
    setAnchor(null);
  };
  const header = (key: SortKey, text: string) => (
    <SortHeader
      text={text}
      direction={sort.key === key ? sort.dir : null}
      onSort={() => sortBy(key, sort.key === key ? (-sort.dir as 1 | -1) : 1)}
    />
  );
  /** A phone or a 400 % zoom: no "Last modified" column (styles.css), so its date and sort go elsewhere. */
  const narrow = useNarrow();
  /** Where a delete's or a move's dialog reports: the list is refreshed as soon as its run ends. */
  const onRunChange = (running: boolean) => {
    setBusy(running);
    if (!running) refreshList();
  };
  /**
   * The action open now. A run goes on after its dialog went (another folder opened: a move finishes
   * its batch, a rename its copy); what it reports then is not for what is open by that time.
   */
  const actionNow = useRef(action);
  useEffect(() => {
    actionNow.current = action;
  }, [action]);
  const whileOpen =
    (a: Action, report: (running: boolean) => void) =>
    (running: boolean): void => {
      if (actionNow.current === a) report(running);
    };

  // What Sign out asks about: follows `busy` (a folder opened mid-run ends the run and clears it too),
  // and is cleared when the list goes (signed out, say).
  useEffect(() => bucketRun.set(busy), [busy]);
  useEffect(() => () => bucketRun.set(false), []);

  const card = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const keepFocus = useFocusKept(card, heading);

  /** The same for an action on what is ticked: once it has run, nothing stays ticked. */
  const onSelectionRun = (running: boolean) => {
    onRunChange(running);
    if (!running) {
      setSelected(new Set());
      setAnchor(null);
    }
  };

  return (
    <section className="card objects-card" aria-labelledby={OBJECTS_HEADING_ID} ref={card} {...keepFocus}>
      <h2 id={OBJECTS_HEADING_ID} ref={heading}>
        Objects
      </h2>
      <FolderBreadcrumbs crumbs={crumbs} here={here} hrefOf={hrefOf} onOpen={go} />
      {/* Said once a filter's first page is in (not while it loads: the rows shown are the last ones). */}
      <LiveLine
        srOnly
        testId="filter-said"
        text={
          query !== '' && cursors.length === 1 && page.data && !page.isPlaceholderData
            ? filterSummary(query, folders.length, objects.length, Boolean(page.data.nextCursor))
            : null
        }
      />
      <LiveLine srOnly testId="sort-said" text={sortSaid} />
      <div className="toolbar">
        <label>
          Filter by name
          <input
            type="search"
            value={filter}
            placeholder="Name starts with…"
            onChange={(e) => setFilter(e.target.value)}
          />
        </label>
        <button type="button" onClick={() => void page.refetch()}>
          Refresh
        </button>
        <button
          type="button"
          onClick={(e) => open(e.currentTarget, { kind: 'new-folder' })}
          disabled={action?.kind === 'new-folder' || locked}
        >
          New folder
        </button>
        {(props.versioning === 'enabled' || props.versioning === 'suspended') && (
          <button
            type="button"
            onClick={(e) => open(e.currentTarget, { kind: 'deleted-objects' })}
            disabled={action?.kind === 'deleted-objects' || locked}
          >
            Deleted objects
          </button>
        )}
        {/* What acts on the ticked rows, as one bar: it wraps as a whole, its count beside its buttons. */}
        <div className="selection-bar" role="group" aria-label="Selected objects">
          <span className="selection" aria-live="polite" data-testid="selection-count">
            {selectedCount} selected
          </span>
          <DownloadSelected
            entries={selectedEntries}
            folders={selectedFolders}
            prefix={prefix}
            busy={locked}
          />
          <button
            type="button"
            disabled={selectedCount === 0 || locked}
            onClick={(e) =>
              // Folders need counting first, as "Delete folder" does; plain objects are named at once.
              open(
                e.currentTarget,
                selectedFolders.length > 0
                  ? {
                      kind: 'delete-selection',
                      opened: ++opens.current,
                      folders: selectedFolders,
                      objects: selectedEntries,
                    }
                  : { kind: 'confirm-delete' },
              )
            }
          >
            Delete selected
          </button>
          <button
            type="button"
            disabled={selectedCount === 0 || locked}
            onClick={(e) =>
              open(e.currentTarget, {
                kind: 'copy-selection',
                opened: ++opens.current,
                folders: selectedFolders,
                objects: selectedEntries,
              })
            }
          >
            Move or copy
          </button>
          <button
            type="button"
            disabled={selectedCount === 0 || locked}
            onClick={(e) =>
              open(e.currentTarget, {
                kind: 'total-size',
                opened: ++opens.current,
                folders: selectedFolders,
                objects: selectedEntries,
              })
            }
          >
            Calculate total size
          </button>
        </div>
      </div>

      {/* Focus goes to the new folder's name in the breadcrumbs; what it means is said after it. */}
      <LiveLine
        srOnly
        testId="new-folder-said"
        text={
          created === null
            ? null
            : created.existed
              ? `Folder “${created.name}” is there already: opened.`
              : `Folder “${created.name}” created and opened: files you upload now go into it.`
        }
      />
      {action?.kind === 'new-folder' && (
        <NewFolderForm
          where={shortFolderLabel(crumbs[0]!.label, props.folder)}
          onCancel={() => close()}
          onCreate={async (name, signal) => {
            try {
              const made = await createFolder(props.folder, name, signal);
              signal.throwIfAborted();
              refreshList();
              go(made.key);
              setCreated({ name, existed: !made.created });
              return null;
            } catch (error) {
              // Cancelled: the store may have made it all the same, so the list is read again.
              if (signal.aborted) {
                refreshList();
                return null;
              }
              return `The folder could not be created: ${error instanceof Error ? error.message : String(error)}`;
            }
          }}
        />
      )}

      {action?.kind === 'deleted-objects' && (
        <DeletedPanel
          key={prefix}
          prefix={prefix}
          versioning={props.versioning}
          where={shortFolderLabel(crumbs[0]!.label, props.folder)}
          onRestored={refreshList}
          onRunning={whileOpen(action, onRunChange)}
          // Opened from here, the folder shows what was deleted in it at once.
          folderLink={(f) => ({
            href: hrefOf(f),
            open: () => {
              go(f);
              setAction({ kind: 'deleted-objects' });
            },
          })}
          onClose={() => close()}
        />
      )}

      {action?.kind === 'share' && (
        <SharePanel
          key={action.entry.key}
          entry={action.entry}
          name={visibleName(action.entry.key.slice(prefix.length))}
          bucket={props.bucket}
          onClose={() => close()}
        />
      )}

      {action?.kind === 'details' && (
        <DetailsPanel
          key={action.entry.key}
          entry={action.entry}
          name={visibleName(action.entry.key.slice(prefix.length))}
          bucket={props.bucket}
          versioning={props.versioning}
          onChanged={refreshList}
          onClose={() => close()}
        />
      )}

      {action?.kind === 'rename' && (
        <RenamePanel
          key={action.entry.key}
          entry={action.entry}
          name={action.entry.key.slice(prefix.length)}
          folder={props.folder}
          rootPrefix={rootPrefix}
          versioning={props.versioning}
          onRunning={whileOpen(action, onRunChange)}
          onClose={(renamed, newKey) => {
            // The old key is gone: it must not stay selected.
            const gone = action.entry.key;
            if (renamed) setSelected((keys) => new Set([...keys].filter((k) => k !== gone)));
            if (newKey === undefined) return close(renamed);
            // Said where it went, as the S3 console's banner: moved to another folder, its row is just gone.
            setAction({
              kind: 'renamed',
              ...renameSummary(action.entry.key.slice(prefix.length), newKey, { prefix, rootPrefix }),
            });
            // Focus goes to the result's Close (see RenameResult); its row is gone.
          }}
        />
      )}
      <LiveLine srOnly testId="rename-said" text={action?.kind === 'renamed' ? action.summary : null} />
      {action?.kind === 'renamed' && (
        <RenameResult
          summary={action.summary}
          folder={
            action.folder === null
              ? null
              : { href: hrefOf(rootPrefix + action.folder), open: () => go(rootPrefix + action.folder) }
          }
          onClose={() => close()}
        />
      )}

      {action?.kind === 'delete-folder' && (
        <DeleteFolderDialog
          key={action.folder}
          folders={[action.folder]}
          label={visibleName(action.folder.slice(prefix.length))}
          warning={warning}
          onRunning={whileOpen(action, onRunChange)}
          onClose={(changed) => close(changed)}
        />
      )}

      {action?.kind === 'delete-selection' && (
        <DeleteFolderDialog
          key={action.opened}
          folders={action.folders}
          objects={action.objects}
          label={
            // One folder ticked alone is named, as its own "Delete" names it.
            action.folders.length === 1 && action.objects.length === 0
              ? visibleName(action.folders[0]!.slice(prefix.length))
              : describeSelection(action.folders.length, action.objects.length)
          }
          warning={warning}
          onRunning={whileOpen(action, onSelectionRun)}
          onClose={(changed) => close(changed)}
        />
      )}

      {action?.kind === 'copy-selection' && (
        <CopyDialog
          key={action.opened}
          folders={action.folders}
          objects={action.objects}
          label={describeSelection(action.folders.length, action.objects.length)}
          folder={props.folder}
          rootPrefix={rootPrefix}
          versioning={props.versioning}
          onRunning={whileOpen(action, onSelectionRun)}
          onClose={(changed) => close(changed)}
        />
      )}

      {action?.kind === 'total-size' && (
        <TotalSizePanel
          key={action.opened}
          folders={action.folders}
          objects={action.objects}
          label={
            action.folders.length === 1 && action.objects.length === 0
              ? `“${visibleName(action.folders[0]!.slice(prefix.length))}”`
              : action.folders.length === 0 && action.objects.length === 1
                ? `“${visibleName(action.objects[0]!.key.slice(prefix.length))}”`
                : describeSelection(action.folders.length, action.objects.length)
          }
          onClose={() => close()}
        />
      )}

      {action?.kind === 'rename-folder' && (
        <CopyDialog
          key={action.folder}
          folders={[action.folder]}
          objects={[]}
          label={action.folder.slice(prefix.length)}
          folder={props.folder}
          rootPrefix={rootPrefix}
          renaming={action.folder.slice(rootPrefix.length)}
          versioning={props.versioning}
          onRunning={whileOpen(action, onRunChange)}
          onClose={(changed) => close(changed)}
        />
      )}

      {action?.kind === 'confirm-delete' && selectedKeys.length > 0 && (
        <ConfirmDelete
          names={selectedKeys.map((k) => k.slice(prefix.length))}
          warning={warning}
          pending={remove.isPending}
          onDelete={() => deleteSelected(selectedKeys)}
          onKeep={() => close()}
        />
      )}
      {remove.error && <p role="alert">Delete failed: {remove.error.message}</p>}
      {/* What "Delete selected" did, said by a line in the page before it (shown by DeleteResult). */}
      <LiveLine
        srOnly
        testId="delete-said"
        text={deleted !== null && !deleted.failed ? deleted.summary : null}
      />
      {deleted && <DeleteResult summary={deleted.summary} failed={deleted.failed} onClose={() => close()} />}

      {ownObject && (
        <p className="note" data-testid="folder-own-object">
          “{visibleName(ownObject.key)}” is also an object itself, of {formatBytes(ownObject.size)} (its key
          ends in “/”): it has no name inside this folder, so it is not listed here. Downloading the folder
          from the one above saves it as a file beside it.
        </p>
      )}
      {page.isPending ? (
        <p aria-live="polite">Loading…</p>
      ) : page.isError ? (
        <div role="alert">
          Could not list objects: {page.error.message}{' '}
          <button type="button" onClick={() => void page.refetch()}>
            Try again
          </button>
        </div>
      ) : folders.length === 0 && objects.length === 0 ? (
        <p className="empty">
          {cursors.length > 1
            ? 'Nothing is left on this page; the pages before it still list theirs.'
            : query
              ? `Nothing here starts with “${query}”.`
              : created !== null
                ? `“${created.name}” is ready: files you upload now go into it.`
                : 'This folder is empty. Upload files above to fill it.'}
        </p>
      ) : (
        <>
          {manyPages && (
            <p className="note" data-testid="sort-note">
              Sorting applies to the objects on this page only: S3 lists a folder in name order, {PAGE_SIZE}{' '}
              at a time.
            </p>
          )}
          {narrow && <NarrowSort sort={sort} onSort={sortBy} />}
          <OpensInNewTab />
          <table
            className="objects"
            aria-label="Objects in this folder"
            aria-busy={page.isFetching || page.isPlaceholderData}
          >
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={ticks === 'all'}
                    ref={(el) => {
                      if (el) el.indeterminate = ticks === 'some';
                    }}
                    onChange={() => {
                      setSelected(ticks === 'all' ? new Set() : new Set(rowKeys));
                      setAction(forSelection);
                    }}
                  />
                </th>
                {header('name', 'Name')}
                {header('size', 'Size')}
                {header('modified', 'Last modified')}
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {folders.map((f, i) => (
                <FolderRow
                  key={f}
                  folder={f}
                  name={f.slice(prefix.length)}
                  prefix={prefix}
                  href={hrefOf(f)}
                  selected={selected.has(f)}
                  busy={locked}
                  onToggle={(e) => toggle(i, e)}
                  onOpen={() => go(f)}
                  onDelete={(from) => open(from, { kind: 'delete-folder', folder: f })}
                  onRename={(from) => open(from, { kind: 'rename-folder', folder: f })}
                  narrow={narrow}
                />
              ))}
              {objects.map((o, i) => (
                <ObjectRow
                  key={o.key}
                  entry={o}
                  name={o.key.slice(prefix.length)}
                  selected={selected.has(o.key)}
                  busy={locked}
                  onToggle={(e) => toggle(folders.length + i, e)}
                  onShare={(from) => open(from, { kind: 'share', entry: o })}
                  onDetails={(from) => open(from, { kind: 'details', entry: o })}
                  onRename={(from) => open(from, { kind: 'rename', entry: o })}
                  narrow={narrow}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="pager" hidden={cursors.length === 1 && !page.data?.nextCursor}>
        <button type="button" disabled={cursors.length <= 1} onClick={() => showPage(cursors.slice(0, -1))}>
          Previous page
        </button>
        <span aria-live="polite">Page {cursors.length}</span>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => page.data?.nextCursor && showPage([...cursors, page.data.nextCursor])}
        >
          Next page
        </button>
      </div>
    </section>
  );
}

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { deleteObjects, downloadLink, listObjects, objectsKey } from '../api/objects.ts';
import { formatBytes, formatDate } from './format.ts';
import { sortEntries, type SortKey } from './sort-entries.ts';
import { DownloadFolder, DownloadSelected } from './download-panel.tsx';
import { DeleteFolderDialog } from './delete-folder.tsx';
import { RenamePanel } from './rename-panel.tsx';
import { SharePanel } from './share-panel.tsx';
import { DetailsPanel } from './details-panel.tsx';
import { folderNameProblem, rootLabel } from './upload-folder.ts';
import { describeSelection } from './selection.ts';

const PAGE_SIZE = 100;

/** Browses the keys below `rootPrefix`; `folder` (relative to it, '' or ending in '/') is the one shown. */
export function ObjectBrowser(props: {
  rootPrefix: string;
  bucket: string;
  folder: string;
  onFolderChange: (folder: string) => void;
}) {
  const { rootPrefix } = props;
  const prefix = rootPrefix + props.folder;
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  /** A folder made with "New folder" that holds nothing yet (S3 has no empty folders). */
  const [created, setCreated] = useState<string | null>(null);
  const [sharing, setSharing] = useState<ObjectEntry | null>(null);
  const [inspecting, setInspecting] = useState<ObjectEntry | null>(null);
  const [renaming, setRenaming] = useState<ObjectEntry | null>(null);
  const [deletingFolder, setDeletingFolder] = useState<string | null>(null);
  /** "Delete selected" with folders ticked: what the dialog was opened for. */
  const [deletingSelection, setDeletingSelection] = useState<{
    folders: string[];
    objects: ObjectEntry[];
  } | null>(null);
  /** The folder this component last opened, to tell when another part of the page opened one. */
  const [shown, setShown] = useState(props.folder);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'name', dir: 1 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  /** The folder's name in the breadcrumbs: where focus goes when what had it is gone. */
  const here = useRef<HTMLSpanElement>(null);
  /** The button that opened a panel, given focus back when the panel closes. */
  const opener = useRef<HTMLElement | null>(null);
  const focusHere = useRef(false);
  const open = (from: HTMLElement, show: () => void) => {
    opener.current = from;
    show();
  };
  /** Focus back to the opener, or to the folder's name when the opener is gone (`gone`) or disabled. */
  const giveFocusBack = (gone = false) => {
    const el = opener.current;
    opener.current = null;
    if (!gone && el?.isConnected && !(el instanceof HTMLButtonElement && el.disabled)) el.focus();
    else here.current?.focus();
  };
  const cursor = cursors[cursors.length - 1] ?? null;
  const listPrefix = prefix + filter;

  const page = useQuery({
    queryKey: objectsKey(listPrefix, cursor, PAGE_SIZE),
    queryFn: ({ signal }) => listObjects(listPrefix, cursor, PAGE_SIZE, signal),
    placeholderData: keepPreviousData,
  });
  // The folder's own marker object ("photos/", made by the S3 console's "Create folder") is not a file.
  const objects = useMemo(
    () =>
      sortEntries(
        (page.data?.objects ?? []).filter((o) => !o.key.endsWith('/')),
        sort.key,
        sort.dir,
      ),
    [page.data, sort],
  );
  const folders = useMemo(() => page.data?.folders ?? [], [page.data]);
  /** Every row's key in screen order (folders first, as they are drawn): what ticks and shift-ranges cover. */
  const rowKeys = useMemo(() => [...folders, ...objects.map((o) => o.key)], [folders, objects]);

  const remove = useMutation({
    mutationFn: (keys: string[]) => deleteObjects(keys),
    // On success only the keys S3 refused stay ticked; a failed call keeps the whole selection and
    // the confirmation open, to try again.
    onSuccess: (result) => {
      setSelected(new Set(result.errors.map((e) => e.key)));
      setConfirming(false);
      // The deleted rows are going: focus stays on "Delete selected" only if some keys are left ticked.
      giveFocusBack(result.errors.length === 0);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['objects'] }),
  });

  /** Another page of the listing (a new filter, the next page…): what was ticked is no longer shown. */
  const showPage = (next: (string | null)[]) => {
    setCursors(next);
    setSelected(new Set());
    setAnchor(null);
    setConfirming(false);
  };
  const reset = () => {
    setCreated(null);
    setCreating(false);
    setSharing(null);
    setInspecting(null);
    setRenaming(null);
    setDeletingFolder(null);
    setDeletingSelection(null);
    setFilter('');
    showPage([null]);
  };
  const go = (next: string) => {
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

  const toggle = (index: number, e: MouseEvent | { shiftKey: boolean }) => {
    const key = rowKeys[index];
    if (!key) return;
    const next = new Set(selected);
    if (e.shiftKey && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      const on = !selected.has(key);
      for (let i = a; i <= b; i++) {
        const k = rowKeys[i];
        if (k) {
          if (on) next.add(k);
          else next.delete(k);
        }
      }
    } else if (next.has(key)) next.delete(key);
    else next.add(key);
    setAnchor(index);
    setSelected(next);
    // A confirmation is for the selection it named: another tick closes it (it may have closed
    // itself already when its rows vanished in a refetch, and must not come back on its own).
    setConfirming(false);
  };

  const allSelected = rowKeys.length > 0 && rowKeys.every((k) => selected.has(k));
  /** Only rows on screen are ever acted on, whatever else the set still holds. */
  const selectedEntries = objects.filter((o) => selected.has(o.key));
  const selectedKeys = selectedEntries.map((o) => o.key);
  const selectedFolders = folders.filter((f) => selected.has(f));
  const selectedCount = selectedKeys.length + selectedFolders.length;
  const crumbs = breadcrumbs(rootPrefix, prefix);
  const manyPages = cursors.length > 1 || Boolean(page.data?.nextCursor);
  const header = (key: SortKey, text: string) => (
    <th aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        className="linklike"
        onClick={() => {
          setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }));
          setAnchor(null);
        }}
      >
        {text}
      </button>
      {sort.key === key && (
        <span aria-hidden="true" className="sort-arrow">
          {sort.dir === 1 ? ' ▲' : ' ▼'}
        </span>
      )}
    </th>
  );

  return (
    <section className="card objects-card" aria-labelledby="objects-heading">
      <h2 id="objects-heading">Objects</h2>
      <nav aria-label="Folder" className="breadcrumbs">
        {crumbs.map((c, i) => (
          <span key={c.prefix}>
            {i > 0 && ' / '}
            {i === crumbs.length - 1 ? (
              <span aria-current="page" tabIndex={-1} ref={here}>
                {c.label}
              </span>
            ) : (
              <button type="button" className="linklike" onClick={() => go(c.prefix)}>
                {c.label}
              </button>
            )}
          </span>
        ))}
      </nav>
      <div className="toolbar">
        <label>
          Filter by name
          <input
            type="search"
            value={filter}
            placeholder="Name starts with…"
            onChange={(e) => {
              setFilter(e.target.value);
              showPage([null]);
            }}
          />
        </label>
        <button type="button" onClick={() => void page.refetch()}>
          Refresh
        </button>
        <button type="button" onClick={() => setCreating(true)} disabled={creating}>
          New folder
        </button>
        <span className="selection" aria-live="polite" data-testid="selection-count">
          {selectedCount} selected
        </span>
        <DownloadSelected entries={selectedEntries} folders={selectedFolders} prefix={prefix} />
        <button
          type="button"
          disabled={selectedCount === 0}
          onClick={(e) =>
            open(e.currentTarget, () => {
              // Folders need counting first, as "Delete folder" does; plain objects are named at once.
              if (selectedFolders.length > 0)
                setDeletingSelection({ folders: selectedFolders, objects: selectedEntries });
              else setConfirming(true);
            })
          }
        >
          Delete selected
        </button>
      </div>

      {creating && (
        <NewFolderForm
          onCancel={() => setCreating(false)}
          onCreate={(name) => {
            go(`${prefix}${name}/`);
            setCreated(name);
          }}
        />
      )}

      {sharing && (
        <SharePanel
          key={sharing.key}
          entry={sharing}
          name={sharing.key.slice(prefix.length)}
          bucket={props.bucket}
          onClose={() => {
            setSharing(null);
            giveFocusBack();
          }}
        />
      )}

      {inspecting && (
        <DetailsPanel
          key={inspecting.key}
          entry={inspecting}
          name={inspecting.key.slice(prefix.length)}
          bucket={props.bucket}
          onClose={() => {
            setInspecting(null);
            giveFocusBack();
          }}
        />
      )}

      {renaming && (
        <RenamePanel
          key={renaming.key}
          entry={renaming}
          name={renaming.key.slice(prefix.length)}
          folder={props.folder}
          onClose={(renamed) => {
            // The old key is gone: it must not stay selected.
            if (renamed) setSelected((keys) => new Set([...keys].filter((k) => k !== renaming.key)));
            setRenaming(null);
            giveFocusBack(renamed);
          }}
        />
      )}

      {deletingFolder !== null && (
        <DeleteFolderDialog
          key={deletingFolder}
          folders={[deletingFolder]}
          label={deletingFolder.slice(prefix.length)}
          onClose={(changed) => {
            setDeletingFolder(null);
            giveFocusBack(changed);
            if (changed) void queryClient.invalidateQueries({ queryKey: ['objects'] });
          }}
        />
      )}

      {deletingSelection && (
        <DeleteFolderDialog
          folders={deletingSelection.folders}
          objects={deletingSelection.objects}
          label={describeSelection(deletingSelection.folders.length, deletingSelection.objects.length)}
          onClose={(changed) => {
            setDeletingSelection(null);
            if (changed) {
              setSelected(new Set());
              setAnchor(null);
            }
            giveFocusBack(changed);
            if (changed) void queryClient.invalidateQueries({ queryKey: ['objects'] });
          }}
        />
      )}

      {confirming && selectedKeys.length > 0 && (
        <div
          role="alertdialog"
          aria-labelledby="confirm-delete"
          className="confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setConfirming(false);
              giveFocusBack();
            }
          }}
        >
          <p id="confirm-delete">
            Delete {selectedKeys.length} object{selectedKeys.length === 1 ? '' : 's'}? This cannot be undone.
          </p>
          <ul className="confirm-list">
            {selectedKeys.slice(0, 10).map((k) => (
              <li key={k}>{k.slice(prefix.length)}</li>
            ))}
            {selectedKeys.length > 10 && <li>…and {selectedKeys.length - 10} more</li>}
          </ul>
          <button
            type="button"
            className="danger"
            onClick={() => remove.mutate(selectedKeys)}
            disabled={remove.isPending}
          >
            Delete
          </button>
          <button
            type="button"
            onClick={() => {
              setConfirming(false);
              giveFocusBack();
            }}
            autoFocus
          >
            Keep them
          </button>
        </div>
      )}
      {remove.error && <p role="alert">Delete failed: {remove.error.message}</p>}
      {remove.data && remove.data.errors.length > 0 && (
        <p role="alert">
          {remove.data.errors.length} could not be deleted:{' '}
          {remove.data.errors.map((e) => `${e.key} (${e.message})`).join(', ')}
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
          {filter
            ? `Nothing here starts with “${filter}”.`
            : created !== null
              ? `“${created}” is ready: files you upload now go into it. It stays in the bucket once it holds a file (S3 keeps no empty folders).`
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
                    checked={allSelected}
                    onChange={() => {
                      setSelected(allSelected ? new Set() : new Set(rowKeys));
                      setConfirming(false);
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
                <tr key={f} className="folder" aria-selected={selected.has(f)} data-testid="folder-row">
                  <td>
                    <RowCheckbox
                      label={`Select folder ${f.slice(prefix.length)}`}
                      checked={selected.has(f)}
                      onToggle={(e) => toggle(i, e)}
                    />
                  </td>
                  <td className="name">
                    <button type="button" className="linklike" onClick={() => go(f)}>
                      <span aria-hidden="true">📁 </span>
                      {f.slice(prefix.length)}
                    </button>
                  </td>
                  <td>Folder</td>
                  <td />
                  <td>
                    <DownloadFolder folder={f} prefix={prefix} label={f.slice(prefix.length)} />{' '}
                    <button
                      type="button"
                      aria-label={`Delete folder ${f.slice(prefix.length)}`}
                      onClick={(e) => open(e.currentTarget, () => setDeletingFolder(f))}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
              {objects.map((o, i) => (
                <ObjectRow
                  key={o.key}
                  entry={o}
                  name={o.key.slice(prefix.length)}
                  selected={selected.has(o.key)}
                  onToggle={(e) => toggle(folders.length + i, e)}
                  onShare={(from) => open(from, () => setSharing(o))}
                  onDetails={(from) => open(from, () => setInspecting(o))}
                  onRename={(from) => open(from, () => setRenaming(o))}
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

function NewFolderForm({ onCreate, onCancel }: { onCreate: (name: string) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="new-folder"
      aria-label="New folder"
      onSubmit={(e) => {
        e.preventDefault();
        const name = draft.trim().normalize('NFC');
        const why = folderNameProblem(name);
        if (why) setProblem(why);
        else onCreate(name);
      }}
    >
      <label>
        Folder name
        <input
          value={draft}
          autoFocus
          aria-invalid={problem !== null}
          onChange={(e) => {
            setDraft(e.target.value);
            setProblem(null);
          }}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        />
      </label>
      <button type="submit">Create folder</button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}

function ObjectRow(props: {
  entry: ObjectEntry;
  name: string;
  selected: boolean;
  onToggle: (e: MouseEvent | { shiftKey: boolean }) => void;
  onShare: (from: HTMLElement) => void;
  onDetails: (from: HTMLElement) => void;
  onRename: (from: HTMLElement) => void;
}) {
  const { entry, name } = props;
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setError(null);
    try {
      const link = await downloadLink(entry.key);
      // The URL carries Content-Disposition: attachment, so the browser's own download manager
      // takes it: any size, no memory cost in the page.
      const a = document.createElement('a');
      a.href = link.url;
      a.download = name.split('/').pop() ?? name;
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <tr aria-selected={props.selected} data-testid="object-row">
      <td>
        <RowCheckbox label={`Select ${name}`} checked={props.selected} onToggle={props.onToggle} />
      </td>
      <td className="name">
        <span aria-hidden="true">{iconFor(name)} </span>
        {name}
      </td>
      <td>{formatBytes(entry.size)}</td>
      <td>{formatDate(entry.lastModified)}</td>
      <td>
        <button type="button" aria-label={`Download ${name}`} onClick={() => void download()}>
          Download
        </button>{' '}
        <button type="button" aria-label={`Share ${name}`} onClick={(e) => props.onShare(e.currentTarget)}>
          Share
        </button>{' '}
        <button type="button" aria-label={`Rename ${name}`} onClick={(e) => props.onRename(e.currentTarget)}>
          Rename
        </button>{' '}
        <button
          type="button"
          aria-label={`Details of ${name}`}
          onClick={(e) => props.onDetails(e.currentTarget)}
        >
          Details
        </button>
        {error && <span role="alert">{error}</span>}
      </td>
    </tr>
  );
}

/** A row's tick box: click, or Shift+click / Shift+Space for a range from the last one ticked. */
function RowCheckbox(props: {
  label: string;
  checked: boolean;
  onToggle: (e: MouseEvent | { shiftKey: boolean }) => void;
}) {
  return (
    <input
      type="checkbox"
      aria-label={props.label}
      checked={props.checked}
      onClick={(e) => props.onToggle(e)}
      onKeyDown={(e) => {
        if (e.key === ' ' && e.shiftKey) {
          e.preventDefault();
          props.onToggle({ shiftKey: true });
        }
      }}
      onChange={() => undefined}
    />
  );
}

function iconFor(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'heic'].includes(ext)) return '🖼';
  if (['mp4', 'mov', 'mkv', 'webm', 'avi'].includes(ext)) return '🎞';
  if (['mp3', 'wav', 'flac', 'ogg', 'm4a'].includes(ext)) return '🎵';
  if (['zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar', 'zst'].includes(ext)) return '🗜';
  if (['pdf', 'doc', 'docx', 'txt', 'md', 'odt'].includes(ext)) return '📄';
  return '📦';
}

function breadcrumbs(root: string, prefix: string) {
  const crumbs = [{ label: rootLabel(root), prefix: root }];
  let acc = root;
  for (const segment of prefix.slice(root.length).split('/').filter(Boolean)) {
    acc += `${segment}/`;
    crumbs.push({ label: segment, prefix: acc });
  }
  return crumbs;
}

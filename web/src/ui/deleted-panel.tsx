import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { BucketVersioning, DeletedObject } from '../../../server/shared/api-types.ts';
import { VersionsSection, versionsKey } from './versions-section.tsx';
import { FolderLink } from './folder-link.tsx';
import { FolderIcon } from './file-icon.tsx';
import { RestoreAll } from './restore-all.tsx';
import { listDeleted, restoreVersion } from '../api/versions.ts';
import { shownMarker } from './restore-run.ts';
import {
  againWhileUnreachable,
  retryWhileUnreachable,
  unreachableDelayMs,
} from '../api/unreachable-retry.ts';
import { formatBytes, formatDate } from './format.ts';
import { LiveLine } from './live-line.tsx';
import { useEscape } from './use-escape.ts';
import { visibleName } from './visible-name.ts';

/**
 * The objects deleted in the folder shown, on a versioned bucket: a delete there only put a delete
 * marker on top, and the version under it can come back ("Restore" removes the marker, as the S3
 * console's "Show versions" and a delete of the marker do). `onRestored`: the object list is read again.
 */
export function DeletedPanel(props: {
  prefix: string;
  versioning: BucketVersioning | undefined;
  /** The folder's name, as the breadcrumbs show it. */
  where: string;
  onRestored: () => void;
  /** A "Restore all" runs (other actions wait for it), or has ended. */
  onRunning: (running: boolean) => void;
  /** A folder's address and how the page opens it (a deleted folder is no row to click). */
  folderLink: (folder: string) => { href: string; open: () => void };
  onClose: () => void;
}) {
  const { prefix } = props;
  const queryClient = useQueryClient();
  const deleted = useInfiniteQuery({
    queryKey: ['deleted', prefix],
    queryFn: ({ pageParam, signal }) => listDeleted(prefix, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: retryWhileUnreachable,
    retryDelay: unreachableDelayMs,
  });
  const all = deleted.data?.pages.flatMap((p) => p.objects) ?? [];
  const folders = deleted.data?.pages.flatMap((p) => p.folders) ?? [];
  /** What became of each restore asked here, by key. */
  const [outcome, setOutcome] = useState<Record<string, { ok: boolean; text: string }>>({});
  const [working, setWorking] = useState<string | null>(null);
  /** The key whose versions are shown under its line. */
  const [opened, setOpened] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const subject = useRef<HTMLParagraphElement>(null);
  // The list read again, what had focus may be gone with its line (a key restored from its Versions, a
  // folder brought back whole): focus goes to the top of the panel.
  const readAt = deleted.dataUpdatedAt;
  useEffect(() => {
    const active = document.activeElement;
    if (readAt > 0 && (active === null || active === document.body)) subject.current?.focus();
  }, [readAt]);
  // While a "Restore all" runs, Escape stops it (as in a folder's delete), and Close waits for it.
  const stopRun = useRef<(() => void) | null>(null);
  const [running, setRunning] = useState(false);
  const onRunning = (stop: (() => void) | null) => {
    stopRun.current = stop;
    setRunning(stop !== null);
    props.onRunning(stop !== null);
  };
  useEscape(panel, () => (stopRun.current ? stopRun.current() : props.onClose()));
  useEffect(() => subject.current?.focus(), []);

  // Many came back: the object list, and this one, are read again.
  const restoredMany = (summary: string) => {
    setSaid(summary);
    props.onRestored();
    void queryClient.invalidateQueries({ queryKey: ['deleted', prefix] });
  };
  const restore = async (o: DeletedObject, name: string) => {
    if (!o.previous) return;
    setWorking(o.key);
    try {
      // A Hoist restart (or a balancer's 502–504 meanwhile) is waited out, as in "Restore all".
      const { versionId } = o.previous;
      await againWhileUnreachable(() => restoreVersion(o.key, versionId, shownMarker(o)));
      setOutcome((m) => ({ ...m, [o.key]: { ok: true, text: 'Restored' } }));
      setSaid(`“${name}” is back.`);
      props.onRestored();
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      setOutcome((m) => ({ ...m, [o.key]: { ok: false, text } }));
      setSaid(`“${name}” could not be restored: ${text}`);
      // Written or deleted again since, say: what is there now is listed, and Restore offered on it.
      void queryClient.invalidateQueries({ queryKey: ['deleted', prefix] });
    } finally {
      setWorking(null);
      void queryClient.invalidateQueries({ queryKey: versionsKey(o.key) });
    }
  };
  // The list is read again when the panel opens, never from an earlier opening's cache.
  useEffect(
    () => () => void queryClient.removeQueries({ queryKey: ['deleted', prefix] }),
    [queryClient, prefix],
  );

  return (
    <div role="dialog" aria-label={`Deleted objects in ${props.where}`} className="panel" ref={panel}>
      <p className="panel-subject" tabIndex={-1} ref={subject}>
        Deleted objects in <strong>{props.where}</strong>
      </p>
      <p className="note">
        Versioning keeps what a delete hid, behind a delete marker. Restore removes the marker: the version
        under it is the current one again.
      </p>
      <RestoreAll
        prefix={prefix}
        label="Restore all…"
        where={props.where}
        disabled={running}
        onRunning={onRunning}
        onDone={restoredMany}
      />
      {deleted.isPending && <p aria-live="polite">Looking for deleted objects…</p>}
      {deleted.isError && <p role="alert">Could not list the deleted objects: {deleted.error.message}</p>}
      <LiveLine text={said} testId="deleted-said" />
      {deleted.data && all.length === 0 && folders.length === 0 && !deleted.hasNextPage && (
        <p>Nothing was deleted here.</p>
      )}
      {folders.length > 0 && (
        <ul className="deleted-list">
          {folders.map((f) => {
            const link = props.folderLink(f);
            return (
              <li key={f} data-testid="deleted-folder">
                <FolderLink href={link.href} onOpen={link.open}>
                  <FolderIcon />
                  {visibleName(f.slice(prefix.length))}
                </FolderLink>{' '}
                <span className="note">every object in it was deleted</span>{' '}
                <RestoreAll
                  prefix={f}
                  label="Restore folder…"
                  ariaLabel={`Restore folder ${visibleName(f.slice(prefix.length))}`}
                  where={visibleName(f.slice(prefix.length))}
                  disabled={running}
                  onRunning={onRunning}
                  onDone={restoredMany}
                />
              </li>
            );
          })}
        </ul>
      )}
      {all.length > 0 && (
        <ul className="deleted-list">
          {all.map((o) => {
            const name = visibleName(o.key.slice(prefix.length));
            const done = outcome[o.key];
            return (
              <li key={o.key} data-testid="deleted-row">
                <span className="object-name">{name}</span>{' '}
                <span className="note">
                  {o.previous ? formatBytes(o.previous.size) : 'no earlier version'}
                  {o.deletedAt && ` · deleted ${formatDate(o.deletedAt)}`}
                </span>{' '}
                {done && <span role={done.ok ? undefined : 'alert'}>{done.text}</span>}{' '}
                {!done?.ok && o.previous && (
                  <button
                    type="button"
                    aria-label={`Restore ${name}`}
                    disabled={working !== null}
                    onClick={() => void restore(o, name)}
                  >
                    Restore
                  </button>
                )}{' '}
                <button
                  type="button"
                  aria-label={`Versions of ${name}`}
                  aria-expanded={opened === o.key}
                  onClick={() => setOpened((k) => (k === o.key ? null : o.key))}
                >
                  Versions
                </button>
                {opened === o.key && (
                  <VersionsSection
                    objectKey={o.key}
                    name={name}
                    versioning={props.versioning}
                    onChanged={() => {
                      props.onRestored();
                      void queryClient.invalidateQueries({ queryKey: ['deleted', prefix] });
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {deleted.hasNextPage && (
        <button
          type="button"
          disabled={deleted.isFetchingNextPage}
          onClick={() => void deleted.fetchNextPage()}
        >
          Look further
        </button>
      )}{' '}
      <button type="button" disabled={running} onClick={props.onClose}>
        Close
      </button>
    </div>
  );
}

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { BucketVersioning, ObjectVersionEntry } from '../../../server/shared/api-types.ts';
import { downloadLink, openHref } from '../api/objects.ts';
import { deleteVersion, listVersions, restoreVersion } from '../api/versions.ts';
import {
  againWhileUnreachable,
  retryWhileUnreachable,
  unreachableDelayMs,
} from '../api/unreachable-retry.ts';
import { downloadInBrowser } from '../transfer/download/index.ts';
import { formatBytes, formatDate } from './format.ts';
import { LiveLine } from './live-line.tsx';
import { deleteForGoodText, restoreNote, versionActions, versionLabels } from './version-actions.ts';

export const versionsKey = (key: string) => ['versions', key] as const;

type Confirm = 'delete' | 'restore';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One object's versions on a versioned bucket, as the S3 console's "Versions" tab lists them, newest
 * first: download one, restore an earlier one, or delete one for good. `onChanged`: the key's current
 * version may be another now (the object list and the details are read again).
 */
export function VersionsSection(props: {
  objectKey: string;
  name: string;
  versioning: BucketVersioning | undefined;
  onChanged: () => void;
}) {
  const { objectKey } = props;
  const queryClient = useQueryClient();
  const versions = useInfiniteQuery({
    queryKey: versionsKey(objectKey),
    queryFn: ({ pageParam, signal }) => listVersions(objectKey, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: retryWhileUnreachable,
    retryDelay: unreachableDelayMs,
  });
  const all = versions.data?.pages.flatMap((p) => p.versions) ?? [];
  // The first listed is the current one (a delete marker, when the key reads as deleted).
  const latest = all[0]?.isLatest
    ? { versionId: all[0].versionId, etag: all[0].etag, lastModified: all[0].lastModified }
    : null;
  /** The version whose row asks for confirmation, and what for. */
  const [confirming, setConfirming] = useState<{ versionId: string; what: Confirm } | null>(null);
  /** A restore or delete runs: the other buttons wait for it. */
  const [working, setWorking] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const changed = async () => {
    await queryClient.invalidateQueries({ queryKey: versionsKey(objectKey) });
    props.onChanged();
  };
  // A download changes nothing: focus stays on its button, and only a failure is said.
  const download = async (v: ObjectVersionEntry, label: string) => {
    setError(null);
    setSaid(null);
    try {
      await downloadInBrowser(
        await againWhileUnreachable(() => downloadLink(objectKey, undefined, v.versionId)),
      );
      setSaid(`Downloading the ${label}.`);
    } catch (e) {
      setError(message(e));
    }
  };
  const run = async (what: () => Promise<string>) => {
    setWorking(true);
    setError(null);
    setSaid(null);
    try {
      const done = await what();
      await changed();
      setSaid(done);
    } catch (e) {
      setError(message(e));
      // What is there now (written or deleted since) is listed again.
      await changed();
    } finally {
      setWorking(false);
      heading.current?.focus();
    }
  };
  const labels = versionLabels(all);
  /**
   * Under suspended versioning a restore's copy is saved as the "null" version: one there already (not the
   * version restored) is replaced for good, so the restore asks first, naming it.
   */
  const held = all.findIndex((v) => v.versionId === 'null' && !v.deleteMarker);
  const restoreReplaces = (v: ObjectVersionEntry) =>
    props.versioning === 'suspended' && held >= 0 && all[held]!.versionId !== v.versionId
      ? `Versioning is suspended: the copy is saved as the "null" version, which replaces the ${labels[held]!} for good.`
      : null;
  /** The heading: focus goes there once an action is done (the button that started it may be gone). */
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();

  return (
    <section className="versions" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1} ref={heading}>
        Versions of {props.name}
      </h3>
      <p className="note">{restoreNote(props.versioning)}</p>
      {versions.isPending && <p aria-live="polite">Listing the versions…</p>}
      {versions.isError && <p role="alert">Could not list the versions: {versions.error.message}</p>}
      <LiveLine text={said} testId="versions-said" />
      {error && <p role="alert">{error}</p>}
      {all.length > 0 && (
        <table className="versions-table">
          <thead>
            <tr>
              <th scope="col">Last modified</th>
              <th scope="col">Size</th>
              <th scope="col">Version ID</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {all.map((v, i) => (
              <VersionRow
                key={v.versionId}
                version={v}
                label={labels[i]!}
                below={all[i + 1] ?? null}
                working={working}
                confirming={confirming?.versionId === v.versionId ? confirming.what : null}
                onConfirm={(what) => setConfirming(what && { versionId: v.versionId, what })}
                restoreReplaces={restoreReplaces(v)}
                onDownload={() => void download(v, labels[i]!)}
                openHref={openHref(objectKey, v.versionId)}
                onRestore={() =>
                  void run(async () => {
                    setConfirming(null);
                    const replaced = restoreReplaces(v) !== null;
                    // A Hoist restart (or a balancer's 502–504 meanwhile) is waited out, as in "Restore all".
                    const done = await againWhileUnreachable(() =>
                      restoreVersion(objectKey, v.versionId, latest),
                    );
                    if (done.how === 'undeleted')
                      return `The ${labels[i]!} is the current one again: the delete markers above it were removed.`;
                    if (replaced)
                      return `The ${labels[i]!} was copied as the current one, in place of the "null" version.`;
                    return all[0]?.deleteMarker
                      ? `The ${labels[i]!} was copied as the current one; the delete marker stays below it.`
                      : `The ${labels[i]!} was copied as the current one; the version it replaced is kept.`;
                  })
                }
                onDelete={() =>
                  void run(async () => {
                    setConfirming(null);
                    await againWhileUnreachable(() => deleteVersion(objectKey, v.versionId));
                    return `The ${labels[i]!} was deleted for good.`;
                  })
                }
              />
            ))}
          </tbody>
        </table>
      )}
      {versions.data && all.length === 0 && <p>No versions: the object is not in the bucket (any more).</p>}
      {versions.hasNextPage && (
        <button
          type="button"
          disabled={versions.isFetchingNextPage}
          onClick={() => void versions.fetchNextPage()}
        >
          Show more versions
        </button>
      )}
    </section>
  );
}

function VersionRow(props: {
  version: ObjectVersionEntry;
  label: string;
  below: ObjectVersionEntry | null;
  working: boolean;
  /** What the row asks before it is done: a delete for good, or a restore that replaces the "null" version. */
  confirming: Confirm | null;
  onConfirm: (what: Confirm | null) => void;
  /** Under suspended versioning, what a restore's copy replaces for good (null: nothing). */
  restoreReplaces: string | null;
  onDownload: () => void;
  /** "Open": shows the version in a tab of its own. */
  openHref: string;
  onRestore: () => void;
  onDelete: () => void;
}) {
  const v = props.version;
  const can = versionActions(v);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const restoreButton = useRef<HTMLButtonElement>(null);
  const said = useId();
  // "Keep it" or Escape: focus back on the button the question stood in for.
  const wasConfirming = useRef<Confirm | null>(null);
  useEffect(() => {
    const was = wasConfirming.current;
    if (was && !props.confirming) (was === 'delete' ? deleteButton : restoreButton).current?.focus();
    wasConfirming.current = props.confirming;
  }, [props.confirming]);
  const asking =
    props.confirming === 'delete'
      ? {
          question: `Delete the ${props.label} for good?`,
          text: deleteForGoodText(v, props.below),
          yes: 'Delete for good',
          onYes: props.onDelete,
        }
      : props.confirming === 'restore'
        ? {
            question: `Restore the ${props.label}?`,
            text: props.restoreReplaces ?? '',
            yes: 'Restore anyway',
            onYes: props.onRestore,
          }
        : null;
  return (
    <tr data-testid="version-row" aria-current={v.isLatest ? 'true' : undefined}>
      <td className="one-line">
        {v.lastModified ? formatDate(v.lastModified) : ''}
        {v.isLatest && <span className="note"> · Current</span>}
      </td>
      <td className="one-line">{v.deleteMarker ? 'Delete marker' : formatBytes(v.size)}</td>
      <td>
        <code className="version-id">{v.versionId}</code>
      </td>
      <td className="row-actions">
        {asking ? (
          <span
            role="alertdialog"
            aria-label={asking.question}
            aria-describedby={said}
            // Escape keeps the version (and not the panel's Escape, which closes it).
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.preventDefault();
              props.onConfirm(null);
            }}
          >
            <span id={said}>{asking.text}</span>{' '}
            <button type="button" className="danger" disabled={props.working} onClick={asking.onYes}>
              {asking.yes}
            </button>{' '}
            <button type="button" autoFocus onClick={() => props.onConfirm(null)}>
              Keep it
            </button>
          </span>
        ) : (
          <>
            {can.download && (
              <button
                type="button"
                aria-label={`Download the ${props.label}`}
                disabled={props.working}
                onClick={props.onDownload}
              >
                Download
              </button>
            )}{' '}
            {can.download && (
              <a
                className="buttonlike"
                href={props.openHref}
                target="_blank"
                rel="noopener"
                aria-label={`Open the ${props.label} (in a new tab)`}
              >
                Open
              </a>
            )}{' '}
            {can.restore && (
              <button
                type="button"
                ref={restoreButton}
                aria-label={`Restore the ${props.label}`}
                disabled={props.working}
                onClick={() => (props.restoreReplaces ? props.onConfirm('restore') : props.onRestore())}
              >
                Restore
              </button>
            )}{' '}
            <button
              type="button"
              ref={deleteButton}
              aria-label={`Delete the ${props.label} for good`}
              disabled={props.working}
              onClick={() => props.onConfirm('delete')}
            >
              Delete…
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

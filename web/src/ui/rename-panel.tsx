import { useMutation, useQueryClient } from '@tanstack/react-query';
import { visibleName } from './visible-name.ts';
import { useEffect, useId, useRef, useState } from 'react';
import type { BucketVersioning, ObjectEntry } from '../../../server/shared/api-types.ts';
import { renamedPath, renameTarget } from '../../../server/shared/rename-target.ts';
import { renameObject } from '../api/objects.ts';
import { ApiError } from '../transfer/upload/upload-api.ts';
import { rootLabel } from './upload-folder.ts';
import { LiveLine } from './live-line.tsx';
import { useEscape } from './use-escape.ts';
import { FolderLink } from './folder-link.tsx';
import { objectsChanged } from './objects-changed.ts';
import { versionsNote } from './versions-note.ts';

/**
 * Renames one object, or moves it with a path ("2024/report.pdf"; "2024/" keeps its name, as
 * `aws s3 mv` does), as the S3 console does: the server copies it inside S3 and deletes the old key.
 * `folder` is where the object is, relative to the server's key prefix; the new path is typed
 * relative to it, or from the top (`rootPrefix`, the server's key prefix) when it starts with "/".
 */
export function RenamePanel(props: {
  entry: ObjectEntry;
  name: string;
  folder: string;
  rootPrefix: string;
  /** The bucket's, from the health report: a versioned one keeps the old name's versions (said before). */
  versioning: BucketVersioning | undefined;
  /** Told when the rename starts and when it has ended: other actions wait for it. */
  onRunning?: (running: boolean) => void;
  /** `newKey`: renamed, and nothing more to say here (the page says where it went). */
  onClose: (renamed: boolean, newKey?: string) => void;
}) {
  const { entry, name, folder, onRunning } = props;
  const [draft, setDraft] = useState(name);
  /** Renamed, but the old name was written again meanwhile and kept: said before closing. */
  const [note, setNote] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const panel = useRef<HTMLDivElement>(null);
  const hint = useId();
  const trimHint = useId();
  const versionsId = useId();
  const versions = versionsNote(props.versioning, 'rename');
  const rename = useMutation({
    mutationFn: ({ path, replace }: { path: string; replace: boolean }) =>
      renameObject(entry.key, { folder, newPath: path }, replace),
    // The list follows a rename that ends whatever is open by then.
    onSuccess: () => objectsChanged(queryClient),
  });
  /**
   * Only this panel's own rename closes it (callbacks given to `mutate` are not called once the
   * panel is gone: a rename that ends after another folder was opened closes nothing there).
   */
  const start = (vars: { path: string; replace: boolean }) =>
    rename.mutate(vars, {
      onSuccess: (answer) => {
        if (answer.note) setNote(answer.note);
        else props.onClose(true, answer.key);
      },
    });
  // A rename that was sent goes on (S3 copies, then deletes; it cannot be called back halfway): the
  // panel stays to say how it ends, and other actions wait, as for a move.
  const pending = rename.isPending;
  const report = useRef(onRunning);
  useEffect(() => {
    report.current = onRunning;
  });
  useEffect(() => {
    if (!pending) return;
    report.current?.(true);
    return () => report.current?.(false);
  }, [pending]);
  // Escape closes it whatever inside has focus; after a rename the old name is gone ("renamed").
  useEscape(panel, () => {
    if (!pending) props.onClose(note !== null);
  });
  // The same line first in both views, so it is in the page before "Renamed." is set into it.
  const said = <LiveLine text={note ? `Renamed. ${note}` : null} />;
  if (note) {
    return (
      <div role="dialog" aria-label={`Rename ${name}`} className="panel" ref={panel}>
        {said}
        <button type="button" autoFocus onClick={() => props.onClose(true)}>
          Close
        </button>
      </div>
    );
  }
  const path = draft.trim().normalize('NFC');
  // What the server will make of it (it applies the same rules and judges the key): "2024/" →
  // "2024/report.pdf" here, "/moved/" → "moved/report.pdf" at the top.
  const target = renameTarget(name, path);
  // The name as it is (untouched: trimming or normalising " a.txt" or a decomposed "café.txt" would
  // rename it), or the same key again: nothing to do.
  const unchanged = draft === name || renamedPath(folder, name, path) === folder + name;
  const fromTop = path.startsWith('/');
  // Spaces at the ends are taken off (typed by mistake far more often than meant; an upload keeps a
  // file's name as it is): said before the rename, with the name it will then have.
  const trimmed = draft !== draft.trim() && path !== '' && !unchanged;
  const exists = rename.error instanceof ApiError && rename.error.code === 'key-exists';
  const top = props.rootPrefix ? `“${rootLabel(props.rootPrefix)}”` : 'the bucket';
  return (
    <div role="dialog" aria-label={`Rename ${name}`} className="panel" ref={panel}>
      {said}
      <p className="panel-subject">
        Rename <strong>{visibleName(name)}</strong>
      </p>
      <form
        className="panel-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path !== '' && !unchanged) start({ path, replace: false });
        }}
      >
        <label>
          New name or path
          <input
            value={draft}
            aria-describedby={[trimmed && trimHint, hint, versions && versionsId].filter(Boolean).join(' ')}
            autoFocus
            onFocus={(e) => {
              // The name without its extension is selected while it is still the name (as a file
              // manager does); once edited, focusing leaves the text and the caret alone.
              if (e.target.value !== name) return;
              e.target.setSelectionRange(0, name.lastIndexOf('.') > 0 ? name.lastIndexOf('.') : name.length);
            }}
            onChange={(e) => {
              setDraft(e.target.value);
              rename.reset();
            }}
          />
        </label>
        <button type="submit" disabled={rename.isPending || path === '' || unchanged}>
          Rename
        </button>
        <button type="button" disabled={pending} onClick={() => props.onClose(false)}>
          Cancel
        </button>
      </form>
      {trimmed && (
        <p id={trimHint} className="note" data-testid="rename-trimmed">
          Spaces at the start and end are left out: it will be “{target}”.
        </p>
      )}
      <p id={hint} className="note">
        A path moves it: “2024/” into the folder 2024 here, under its own name. Start with “/” for a path from
        the top of {top}: “/moved/” moves it into moved/ there, “/” alone to the top.
      </p>
      {versions && (
        <p id={versionsId} className="note" data-testid="versions-note">
          {versions}
        </p>
      )}
      {pending && (
        <p aria-live="polite">
          Copying inside the bucket… The rename goes on until the copy is done and the old name removed.
        </p>
      )}
      {exists ? (
        <p role="alert">
          “{target}” already exists{fromTop ? '' : ' here'}.{' '}
          <button type="button" onClick={() => start({ path, replace: true })}>
            Replace it
          </button>
        </p>
      ) : (
        rename.error && <p role="alert">Could not rename: {rename.error.message}</p>
      )}
    </div>
  );
}

/** What a rename of one object did (said by the page's live line too), and a link to where it went. */
export function RenameResult(props: {
  summary: string;
  folder: { href: string; open: () => void } | null;
  onClose: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEscape(box, props.onClose);
  return (
    <div ref={box} className="panel" data-testid="rename-result">
      <p>
        {props.summary}
        {props.folder && (
          <>
            {' '}
            <FolderLink href={props.folder.href} onOpen={props.folder.open}>
              Open that folder
            </FolderLink>
          </>
        )}
      </p>
      {/* Focus comes here (the row renamed is gone): the summary is said by the page's live line. */}
      <button type="button" autoFocus onClick={props.onClose}>
        Close
      </button>
    </div>
  );
}

import { useRef, useState } from 'react';
import { folderNameProblem } from './upload-folder.ts';
import { useEscape } from './use-escape.ts';

/**
 * "New folder": a name, checked as S3 keys allow, then made as the S3 console's "Create folder" makes
 * one (an empty "name/" object, so it stays before anything is uploaded into it) and opened.
 * `onCreate` answers what went wrong, or null. Cancel or Escape while it is being made stops the call
 * (its signal), so the page never opens a folder the user turned away from.
 */
export function NewFolderForm({
  where,
  onCreate,
  onCancel,
}: {
  /** The folder it is made in, as the breadcrumbs say it ("Bucket / photos"). */
  where: string;
  onCreate: (name: string, signal: AbortSignal) => Promise<string | null>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const call = useRef<AbortController | null>(null);
  const cancel = () => {
    call.current?.abort();
    onCancel();
  };
  useEscape(form, cancel);
  return (
    <form
      ref={form}
      className="new-folder panel"
      aria-label="New folder"
      onSubmit={(e) => {
        e.preventDefault();
        const name = draft.trim().normalize('NFC');
        const why = folderNameProblem(name);
        if (why) return setProblem(why);
        if (creating) return;
        setCreating(true);
        const controller = new AbortController();
        call.current = controller;
        void onCreate(name, controller.signal).then((failed) => {
          // Made: the form is gone with the folder opened. Not made: said here, the name kept to fix.
          if (failed === null || controller.signal.aborted) return;
          setCreating(false);
          setProblem(failed);
        });
      }}
    >
      <p className="panel-subject">
        New folder in <strong>{where}</strong>
      </p>
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
        />
      </label>
      <button type="submit" aria-disabled={creating}>
        {creating ? 'Creating…' : 'Create folder'}
      </button>
      <button type="button" onClick={cancel}>
        Cancel
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}

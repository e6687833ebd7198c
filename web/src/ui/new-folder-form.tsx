import { useRef, useState } from 'react';
import { folderNameProblem } from './upload-folder.ts';
import { useEscape } from './use-escape.ts';

/** "New folder": a name, checked as S3 keys allow, opened at once (S3 keeps it once a file is in it). */
export function NewFolderForm({
  where,
  onCreate,
  onCancel,
}: {
  /** The folder it is made in, as the breadcrumbs say it ("Bucket / photos"). */
  where: string;
  onCreate: (name: string) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useEscape(form, onCancel);
  return (
    <form
      ref={form}
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
      <button type="submit">Create folder</button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}

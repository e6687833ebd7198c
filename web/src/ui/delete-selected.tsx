import { useRef } from 'react';
import { visibleName } from './visible-name.ts';
import { objectCount } from './delete-summary.ts';
import { useEscape } from './use-escape.ts';
import { useTabContained } from './use-tab-contained.ts';

/** "Delete selected" of objects only: names them (the first ten) and asks; `warning` says whether it can be undone. */
export function ConfirmDelete(props: {
  names: string[];
  warning: string;
  pending: boolean;
  onDelete: () => void;
  onKeep: () => void;
}) {
  const { names } = props;
  const box = useRef<HTMLDivElement>(null);
  useEscape(box, props.onKeep);
  useTabContained(box);
  return (
    <div ref={box} role="alertdialog" aria-labelledby="confirm-delete" className="confirm">
      <p id="confirm-delete">
        Delete {objectCount(names.length)}? {props.warning}
      </p>
      <ul className="confirm-list">
        {names.slice(0, 10).map((n) => (
          <li key={n}>{visibleName(n)}</li>
        ))}
        {names.length > 10 && <li>…and {names.length - 10} more</li>}
      </ul>
      <button type="button" className="danger" onClick={props.onDelete} disabled={props.pending}>
        Delete
      </button>
      <button type="button" onClick={props.onKeep} autoFocus>
        Keep them
      </button>
    </div>
  );
}

/** What "Delete selected" did, said as a folder delete says it, until closed or another action opens. */
export function DeleteResult(props: { summary: string; failed: boolean; onClose: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEscape(box, props.onClose);
  return (
    <div ref={box} className={`${props.failed ? 'confirm' : 'panel'} delete-result`}>
      {/* A success is said by the page's live line (LiveLine, in the page before it). */}
      <p role={props.failed ? 'alert' : undefined} data-testid="delete-result">
        {props.summary}
      </p>
      {/* Focus comes here (the rows deleted are gone): a success is said by the live line. */}
      <button type="button" autoFocus onClick={props.onClose}>
        Close
      </button>
    </div>
  );
}

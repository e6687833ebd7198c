import { useEffect, useRef, useState } from 'react';
import type { DeletedObject } from '../../../server/shared/api-types.ts';
import { listDeleted, restoreVersion } from '../api/versions.ts';
import { formatCount } from './format.ts';
import { findDeleted, restoreAll, type RestoreOutcome } from './restore-run.ts';
import { visibleName } from './visible-name.ts';

type Step =
  | { kind: 'idle' }
  | { kind: 'counting'; found: number }
  | { kind: 'confirm'; objects: DeletedObject[] }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; outcome: RestoreOutcome; total: number }
  | { kind: 'error'; message: string };

const objects = (n: number) => `${formatCount(n)} object${n === 1 ? '' : 's'}`;

/**
 * "Restore all" of what a delete hid under `prefix`, its folders included (a folder deleted whole comes
 * back whole): counted first, with Stop, then asked about, then restored a few at a time with progress
 * and Stop, each pinned to the delete marker counted (one written or deleted again since is left, and
 * said). `label`: the button's text; `where`: the folder, as the page names it.
 */
export function RestoreAll(props: {
  prefix: string;
  label: string;
  /** The button's name for screen readers, where its text alone does not say which folder. */
  ariaLabel?: string;
  where: string;
  /** What it did, in a sentence (said by the panel: a folder's row may be gone once it is back). */
  onDone: (summary: string) => void;
}) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const run = useRef<AbortController | null>(null);
  useEffect(() => () => run.current?.abort(), []);
  const begin = () => {
    const controller = new AbortController();
    run.current = controller;
    return controller.signal;
  };
  const stop = () => run.current?.abort();

  const count = async () => {
    const signal = begin();
    setStep({ kind: 'counting', found: 0 });
    try {
      const found = await findDeleted({
        list: (cursor, s) => listDeleted(props.prefix, cursor, s, true),
        signal,
        onCount: (n) => setStep({ kind: 'counting', found: n }),
      });
      if (found.length > 0) return setStep({ kind: 'confirm', objects: found });
      setStep({ kind: 'done', outcome: none, total: 0 });
      props.onDone(`Nothing deleted in ${props.where} can be restored.`);
    } catch (error) {
      setStep(
        signal.aborted
          ? { kind: 'idle' }
          : { kind: 'error', message: error instanceof Error ? error.message : String(error) },
      );
    }
  };
  const restore = async (list: DeletedObject[]) => {
    const signal = begin();
    setStep({ kind: 'running', done: 0, total: list.length });
    const outcome = await restoreAll({
      objects: list,
      restore: (key, versionId, latest, s) => restoreVersion(key, versionId, latest, s),
      signal,
      onProgress: (done) => setStep({ kind: 'running', done, total: list.length }),
    });
    setStep({ kind: 'done', outcome, total: list.length });
    const failed = outcome.failed.length;
    props.onDone(
      `Restored ${objects(outcome.restored)} of ${formatCount(list.length)} in ${props.where}${
        outcome.stopped ? ' (stopped)' : ''
      }${failed > 0 ? `; ${formatCount(failed)} could not be, listed below` : ''}.`,
    );
  };

  return (
    <div className="restore-all" data-testid="restore-all">
      {(step.kind === 'idle' || step.kind === 'done' || step.kind === 'error') && (
        <button type="button" aria-label={props.ariaLabel} onClick={() => void count()}>
          {props.label}
        </button>
      )}
      {step.kind === 'counting' && (
        <p aria-live="polite">
          Looking for what was deleted in {props.where}: {objects(step.found)} found…{' '}
          <button type="button" onClick={stop}>
            Stop
          </button>
        </p>
      )}
      {step.kind === 'confirm' && (
        <div role="alertdialog" aria-labelledby="restore-all-ask" className="confirm">
          <p id="restore-all-ask">
            Restore {objects(step.objects.length)} deleted in {props.where} and its folders? Each comes back
            as the version under its delete marker.
          </p>
          <button type="button" autoFocus onClick={() => void restore(step.objects)}>
            Restore {objects(step.objects.length)}
          </button>{' '}
          <button type="button" onClick={() => setStep({ kind: 'idle' })}>
            Cancel
          </button>
        </div>
      )}
      {step.kind === 'running' && (
        <p aria-live="polite">
          Restoring: {formatCount(step.done)} of {formatCount(step.total)}…{' '}
          <button type="button" onClick={stop}>
            Stop
          </button>
        </p>
      )}
      {step.kind === 'done' && step.outcome.failed.length > 0 && (
        <ul className="confirm-list" role="alert">
          {step.outcome.failed.slice(0, 20).map((f) => (
            <li key={f.key}>
              {visibleName(f.key.slice(props.prefix.length))}: {f.message}
            </li>
          ))}
          {step.outcome.failed.length > 20 && (
            <li>…and {formatCount(step.outcome.failed.length - 20)} more</li>
          )}
        </ul>
      )}
      {step.kind === 'error' && <p role="alert">Could not list what was deleted: {step.message}</p>}
    </div>
  );
}

const none: RestoreOutcome = { restored: 0, failed: [], stopped: false };

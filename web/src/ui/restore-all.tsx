import { useEffect, useId, useRef, useState } from 'react';
import type { DeletedObject } from '../../../server/shared/api-types.ts';
import { listDeleted, restoreVersion } from '../api/versions.ts';
import { againWhileUnreachable } from '../api/unreachable-retry.ts';
import { formatCount } from './format.ts';
import { findDeleted, restoreAll, restoreSummary, type RestoreOutcome } from './restore-run.ts';
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
 * said). A Hoist server restarting meanwhile is waited for. `label`: the button's text; `where`: the
 * folder, as the page names it.
 */
export function RestoreAll(props: {
  prefix: string;
  label: string;
  /** The button's name for screen readers, where its text alone does not say which folder. */
  ariaLabel?: string;
  where: string;
  /** Another one runs: this one waits. */
  disabled?: boolean;
  /** Told when a count or a restore starts (with what stops it) and when it has ended (null). */
  onRunning: (stop: (() => void) | null) => void;
  /** What it did, in a sentence (said by the panel: a folder's row may be gone once it is back). */
  onDone: (summary: string) => void;
}) {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const run = useRef<AbortController | null>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  const question = useId();
  useEffect(() => () => run.current?.abort(), []);
  const stop = () => run.current?.abort();
  const begin = () => {
    const controller = new AbortController();
    run.current = controller;
    props.onRunning(stop);
    return controller.signal;
  };
  const end = (next: Step) => {
    setStep(next);
    props.onRunning(null);
  };
  // Back from a run (or the question), focus returns to the button that started it.
  const wasBusy = useRef(false);
  useEffect(() => {
    const busy = step.kind !== 'idle' && step.kind !== 'done' && step.kind !== 'error';
    if (wasBusy.current && !busy) startButton.current?.focus();
    wasBusy.current = busy;
  }, [step.kind]);

  const count = async () => {
    const signal = begin();
    setStep({ kind: 'counting', found: 0 });
    try {
      const found = await findDeleted({
        list: (cursor, s) =>
          againWhileUnreachable(() => listDeleted(props.prefix, cursor, s, true), { signal: s }),
        signal,
        onCount: (n) => setStep({ kind: 'counting', found: n }),
      });
      if (found.length > 0) {
        setStep({ kind: 'confirm', objects: found });
        props.onRunning(null);
        return;
      }
      end({ kind: 'done', outcome: none, total: 0 });
      props.onDone(`Nothing deleted in ${props.where} can be restored.`);
    } catch (error) {
      end(
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
      restore: (key, versionId, latest, s) =>
        againWhileUnreachable(() => restoreVersion(key, versionId, latest, s), { signal: s }),
      signal,
      onProgress: (done) => setStep({ kind: 'running', done, total: list.length }),
    });
    end({ kind: 'done', outcome, total: list.length });
    props.onDone(restoreSummary(outcome, list.length, props.where));
  };

  return (
    <div className="restore-all" data-testid="restore-all">
      {(step.kind === 'idle' || step.kind === 'done' || step.kind === 'error') && (
        <button
          type="button"
          ref={startButton}
          aria-label={props.ariaLabel}
          disabled={props.disabled}
          onClick={() => void count()}
        >
          {props.label}
        </button>
      )}
      {step.kind === 'counting' && (
        <p aria-live="polite">
          Looking for what was deleted in {props.where}: {objects(step.found)} found…{' '}
          <button type="button" autoFocus onClick={stop}>
            Stop
          </button>
        </p>
      )}
      {step.kind === 'confirm' && (
        <div role="alertdialog" aria-labelledby={question} className="confirm">
          <p id={question}>
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
          <button type="button" autoFocus onClick={stop}>
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

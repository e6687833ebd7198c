import { useEffect, useId, useRef, useState } from 'react';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { deleteObjects, listAllObjects } from '../api/objects.ts';
import { againWhileUnreachable } from '../api/unreachable-retry.ts';
import { deleteSummary } from './delete-summary.ts';
import { formatCount, formatBytes } from './format.ts';
import { leftAfterDelete, type LeftInFolder } from './left-after-delete.ts';
import { expandSelection } from './selection.ts';
import { LiveLine } from './live-line.tsx';
import { useEscape } from './use-escape.ts';
import { useTabContained } from './use-tab-contained.ts';

/** S3's DeleteObjects takes at most 1,000 keys per call. */
const DELETE_BATCH = 1000;

type Phase =
  | { kind: 'counting' }
  | { kind: 'confirm'; objects: ObjectEntry[] }
  | { kind: 'deleting'; total: number; done: number }
  | {
      kind: 'finished';
      deleted: number;
      total: number;
      errors: { key: string; message: string }[];
      /** Written under the folders after the count (added, or written again): kept, and said. */
      late: LeftInFolder[];
      /** Counted keys written again since the count: kept (among `late`). */
      rewritten: number;
    }
  /** `rest`: what a run that stopped on a failed call did not get to, with what it had done. */
  | { kind: 'failed'; message: string; rest?: { objects: ObjectEntry[]; soFar: SoFar } };

/** What a delete run has settled, carried into "Try the rest again". */
interface SoFar {
  done: number;
  errors: { key: string; message: string }[];
  rewritten: number;
  total: number;
}

/**
 * Deletes folders as the S3 console does: every object under each prefix, plus any ticked objects
 * beside them. It counts them first and deletes exactly those, 1,000 per call, with progress; objects
 * added meanwhile are left alone, and the result says how many are still there. `label` names one
 * folder ("photos/"), or the selection ("2 folders and 3 objects") when `objects` are given or there
 * are several folders. `onRunning` is told when the delete starts and when it has ended (the list
 * can change from then on). `warning` says whether it can be undone (see deleteWarning).
 */
export function DeleteFolderDialog(props: {
  folders: string[];
  objects?: ObjectEntry[];
  label: string;
  warning: string;
  onRunning?: (running: boolean) => void;
  onClose: (changed: boolean) => void;
}) {
  const { folders, objects: ticked, label } = props;
  const oneFolder = folders.length === 1 && !ticked?.length;
  const [phase, setPhase] = useState<Phase>({ kind: 'counting' });
  /** "Stop" ends the run between two calls: a call that was sent may have deleted its keys already. */
  const stop = useRef(false);
  /** The delete run's requests, aborted if the dialog goes away. */
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);
  // The dialog is keyed by what it deletes: it counts once.
  const [asked] = useState({ folders, ticked: ticked ?? [] });
  /** Found so far while counting (a listing page is 1,000 keys): a big folder takes a while. */
  const [found, setFound] = useState(0);
  useEffect(() => {
    const counting = new AbortController();
    expandSelection(asked.ticked, asked.folders, (f) =>
      listAllObjects(f, counting.signal, (n) => {
        if (!counting.signal.aborted) setFound((m) => m + n);
      }),
    ).then(
      (objects) => setPhase({ kind: 'confirm', objects }),
      (error: unknown) => {
        if (!counting.signal.aborted)
          setPhase({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => counting.abort();
  }, [asked]);

  const run = async (
    objects: ObjectEntry[],
    soFar: SoFar = { done: 0, errors: [], rewritten: 0, total: objects.length },
  ) => {
    const controller = new AbortController();
    running.current = controller;
    stop.current = false;
    const { total } = soFar;
    const errors = [...soFar.errors];
    /** Kept: written again since the count (the delete was pinned to the ETag counted). */
    let rewritten = soFar.rewritten;
    let done = soFar.done;
    const start = done;
    setPhase({ kind: 'deleting', total, done });
    props.onRunning?.(true);
    try {
      for (let i = 0; i < objects.length && !stop.current; i += DELETE_BATCH) {
        const batch = objects.slice(i, i + DELETE_BATCH);
        const keys = batch.map((o) => o.key);
        // Each at the ETag it was counted at: one written since is kept, and counted as written since.
        const etags = Object.fromEntries(batch.flatMap((o) => (o.etag ? [[o.key, o.etag] as const] : [])));
        // A server restarting is waited out a few seconds; sent again, a key deleted already counts as deleted.
        const result = await againWhileUnreachable(() => deleteObjects(keys, controller.signal, etags), {
          signal: controller.signal,
        });
        errors.push(...result.errors.filter((e) => !e.changed));
        rewritten += result.errors.filter((e) => e.changed).length;
        done += keys.length;
        setPhase({ kind: 'deleting', total, done });
      }
      // A run to the end leaves the folders empty unless something was written there since the count.
      const failed = new Set(errors.map((e) => e.key));
      const late = stop.current
        ? []
        : await leftAfterDelete(asked.folders, failed, listAllObjects, { signal: controller.signal }).catch(
            (error: unknown) => {
              if (controller.signal.aborted) throw error;
              return []; // the delete itself is done: not knowing what came later is no failure
            },
          );
      setPhase({
        kind: 'finished',
        deleted: done - errors.length - rewritten,
        total,
        errors,
        late,
        rewritten,
      });
    } catch (error) {
      if (!controller.signal.aborted) {
        const deleted = done - errors.length - rewritten;
        setPhase({
          kind: 'failed',
          message: `It stopped after ${formatCount(deleted)} of ${formatCount(total)} object${
            total === 1 ? '' : 's'
          } were deleted: ${error instanceof Error ? error.message : String(error)}`,
          rest: { objects: objects.slice(done - start), soFar: { done, errors, rewritten, total } },
        });
      }
    } finally {
      // Also when it was cut short (the dialog went): the page must not stay locked.
      props.onRunning?.(false);
    }
  };
  // Escape does what the dialog's second button says: Stop while deleting, else close.
  const box = useRef<HTMLDivElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const runPhase = phase.kind === 'deleting' || phase.kind === 'finished' || phase.kind === 'failed';
  useEffect(() => {
    if (!runPhase) return;
    const active = document.activeElement;
    if (active === null || active === document.body || box.current?.contains(active))
      endButton.current?.focus();
  }, [phase.kind, runPhase]);
  useEscape(box, () => {
    if (phase.kind === 'deleting') stop.current = true;
    else props.onClose(phase.kind === 'finished' || phase.kind === 'failed');
  });
  useTabContained(box);
  const question = useId();

  const bytes = phase.kind === 'confirm' ? phase.objects.reduce((sum, o) => sum + o.size, 0) : 0;
  const plural = (n: number) => `${formatCount(n)} object${n === 1 ? '' : 's'}`;
  return (
    <div
      role="alertdialog"
      aria-label={oneFolder ? `Delete folder ${label}` : `Delete ${label}`}
      // The question (what goes, and whether it can be undone) is read with the prompt's name.
      aria-describedby={phase.kind === 'confirm' ? question : undefined}
      className="confirm"
      ref={box}
    >
      {phase.kind === 'counting' && (
        <p aria-live="polite">Counting the objects in {oneFolder ? `“${label}”` : label}…</p>
      )}
      {/* Not live: it changes with every 1,000 keys. */}
      {phase.kind === 'counting' && found > 0 && (
        <p className="note" data-testid="count-found">
          {formatCount(found)} found so far
        </p>
      )}
      {phase.kind === 'confirm' &&
        (phase.objects.length === 0 ? (
          <p id={question}>{oneFolder ? `“${label}” holds` : `${label} hold`} no objects any more.</p>
        ) : oneFolder ? (
          <p id={question}>
            Delete “{label}” and the {plural(phase.objects.length)} in it ({formatBytes(bytes)})?{' '}
            {props.warning}
          </p>
        ) : (
          <p id={question}>
            Delete {label}: {plural(phase.objects.length)} in all ({formatBytes(bytes)})? {props.warning}
          </p>
        ))}
      {phase.kind === 'deleting' && (
        <p aria-live="polite">
          Deleting… {formatCount(phase.done)} of {plural(phase.total)}
        </p>
      )}
      <LiveLine
        text={phase.kind === 'finished' ? deleteSummary(phase) : null}
        urgent={phase.kind === 'finished' && phase.errors.length > 0}
      />
      {phase.kind === 'failed' && (
        <p role="alert">
          {oneFolder ? 'The folder' : 'The selection'} could not be deleted. {phase.message}
        </p>
      )}
      {phase.kind === 'failed' && phase.rest && phase.rest.objects.length > 0 && (
        <button
          type="button"
          className="danger"
          onClick={() => phase.rest && void run(phase.rest.objects, phase.rest.soFar)}
        >
          Try the rest again ({plural(phase.rest.objects.length)})
        </button>
      )}

      {phase.kind === 'confirm' && phase.objects.length > 0 && (
        <button type="button" className="danger" onClick={() => void run(phase.objects)}>
          {oneFolder ? 'Delete folder' : 'Delete all'}
        </button>
      )}
      {/* Stop, then Close, take the focus as they come, if it was in the dialog (the button pressed
          before is gone) and not taken elsewhere meanwhile (a delete can run for minutes). */}
      {phase.kind === 'deleting' ? (
        <button key="stop" type="button" ref={endButton} onClick={() => (stop.current = true)}>
          Stop
        </button>
      ) : (
        <button
          key={phase.kind === 'finished' || phase.kind === 'failed' ? 'close' : 'keep'}
          ref={endButton}
          type="button"
          autoFocus={phase.kind === 'counting' || phase.kind === 'confirm'}
          onClick={() => props.onClose(phase.kind === 'finished' || phase.kind === 'failed')}
        >
          {phase.kind === 'confirm' || phase.kind === 'counting'
            ? oneFolder
              ? 'Keep it'
              : 'Keep them'
            : 'Close'}
        </button>
      )}
    </div>
  );
}

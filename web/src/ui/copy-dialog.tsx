import { useQuery, useQueryClient } from '@tanstack/react-query';
import { visibleName } from './visible-name.ts';
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import type { BucketVersioning, MadeCopy, ObjectEntry } from '../../../server/shared/api-types.ts';
import { destinationFolder, destinationProblem } from '../../../server/shared/copy-target.ts';
import { copyObjects, listAllObjects, listObjects } from '../api/objects.ts';
import { againWhileUnreachable } from '../api/unreachable-retry.ts';
import {
  conflictsInOrder,
  copySummary,
  madeFor,
  replaceIfOf,
  mergeRetry,
  retryable,
  retryPlan,
  runCopy,
  type CopyProgress,
  type CopyResult,
} from './copy-run.ts';
import { objectCount } from './delete-summary.ts';
import { leftAfterDelete, type LeftInFolder } from './left-after-delete.ts';
import { formatCount, formatBytes } from './format.ts';
import { expandSelection } from './selection.ts';
import { rootLabel } from './upload-folder.ts';
import { LiveLine } from './live-line.tsx';
import { useEscape } from './use-escape.ts';
import { useLeaveWarning } from './use-leave-warning.ts';
import { folderForCopyProblem } from '../../../server/uploads/rename-key.ts';
import { TypingProblem } from './typing-problem.tsx';
import { holdsObjects, MERGE_PROBE_LIMIT } from './merge-probe.ts';
import { versionsNote } from './versions-note.ts';

type Phase =
  | { kind: 'form' }
  | { kind: 'running'; move: boolean; progress: CopyProgress }
  /** `error`: a retry's call failed as a whole; the result still holds the run's other outcomes. */
  /**
   * `error`: a call failed as a whole (the network, the server), after `result`; `retried` when that
   * was a retry's. `rest`: the objects it left untried, offered again ("Try the rest again"; after
   * Stop, "Go on with the rest").
   */
  | {
      kind: 'finished';
      move: boolean;
      folder: string;
      result: CopyResult;
      error?: string;
      retried?: boolean;
      rest?: ObjectEntry[];
      /** A move's: objects found under its folders once it ran to the end, written there since the count. */
      late?: LeftInFolder[];
    }
  | { kind: 'failed'; message: string };

/**
 * Copies or moves a selection (ticked objects and folders, with everything under the folders) to
 * another folder, as the S3 console's Copy and Move and `aws s3 cp|mv --recursive` do; or, given
 * one folder as `renaming`, renames it (its contents move to the new name). Counts first, then
 * copies inside S3 a batch at a time with progress and Stop. A name taken at the destination is
 * never overwritten unasked: those are listed with "Replace them"; other failures with "Try again".
 * Folders are relative to `rootPrefix` (the server's key prefix); `folder` is the one shown.
 */
export function CopyDialog(props: {
  folders: string[];
  objects: ObjectEntry[];
  label: string;
  folder: string;
  rootPrefix: string;
  /** Rename this folder (relative to rootPrefix, e.g. "photos/old/") instead of moving the selection. */
  renaming?: string;
  /** The bucket's, from the health report: a move on a versioned one leaves the old names' versions. */
  versioning: BucketVersioning | undefined;
  onRunning?: (running: boolean) => void;
  onClose: (changed: boolean) => void;
}) {
  const { rootPrefix, folder, renaming } = props;
  const folderName = renaming?.slice(folder.length).replace(/\/$/, '') ?? '';
  const [typed, setTyped] = useState(folderName);
  const [move, setMove] = useState(true);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  /** Everything the selection stands for, once counted (null while counting). */
  const [objects, setObjects] = useState<ObjectEntry[] | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const stop = useRef(false);
  /** The dialog went away (a submit waiting for the probe then does nothing). */
  const closed = useRef(false);
  /** Stop pressed: said until the batch in flight has answered. */
  const [stopping, setStopping] = useState(false);
  /** A run is going on (for the leave-page prompt). */
  const [busy, setBusy] = useState(false);
  // Going away (another folder opened) stops the run after the batch in flight, which the server
  // finishes: aborting it would cut moves between their copy and their delete.
  useEffect(() => {
    closed.current = false;
    return () => {
      stop.current = true;
      closed.current = true;
    };
  }, []);
  // Leaving the page mid-run asks first, as uploads and downloads do.
  useLeaveWarning(busy);
  const [asked] = useState({ folders: props.folders, objects: props.objects });
  /** Found so far while counting (a listing page is 1,000 keys): a big folder takes a while. */
  const [found, setFound] = useState(0);
  useEffect(() => {
    const counting = new AbortController();
    expandSelection(asked.objects, asked.folders, (f) =>
      listAllObjects(f, counting.signal, (n) => {
        if (!counting.signal.aborted) setFound((m) => m + n);
      }),
    ).then(setObjects, (error: unknown) => {
      if (!counting.signal.aborted) setCountError(String(error));
    });
    return () => counting.abort();
  }, [asked]);

  // What the server will make of the destination (it checks it again, with the key rules).
  const path = typed.trim().normalize('NFC');
  const from = renaming ?? folder;
  const to = destinationFolder(folder, path);
  const ticked = renaming ? [renaming] : asked.folders.map((f) => f.slice(rootPrefix.length));
  /**
   * A rename still showing the folder's own name (as it is: trimming or normalising an untouched
   * " lead" or a decomposed "café" would move every key), or naming it again: nothing to do.
   */
  const unchanged = renaming !== undefined && (typed === folderName || to === renaming);
  const problem =
    path === '' || unchanged
      ? null
      : (folderForCopyProblem(rootPrefix, folder, path) ?? destinationProblem(from, to, ticked));
  // What is at the destination, by listing a few keys there (its folder markers are no objects). A
  // folder rename onto a folder that holds objects merges the two (as `aws s3 mv --recursive` does):
  // said while typing, and asked before it runs, as Finder asks. A move or copy into a folder that does
  // not exist yet (a typo) says it will be made.
  const ready = path !== '' && !unchanged && problem === null;
  const probe = (dest: string) => ({
    queryKey: ['objects', 'any-under', rootPrefix + dest],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      listObjects(rootPrefix + dest, null, MERGE_PROBE_LIMIT, signal, ''),
  });
  const target = useQuery({ ...probe(to), enabled: ready });
  const queryClient = useQueryClient();
  /** Edits of the name so far: one made while a submit waits for the probe cancels that submit. */
  const edits = useRef(0);
  /** A submit waits for the probe. */
  const probing = useRef(false);
  /** A submit waits for the count of what it moves; an edit meanwhile cancels it. */
  const submitWhenCounted = useRef(false);
  const holds = ready && target.data !== undefined ? holdsObjects(target.data) : null;
  /** Any key there, its folder marker too (an empty folder made with "Create folder" is there). */
  const exists =
    ready && target.data !== undefined
      ? target.data.objects.length > 0 || target.data.nextCursor !== null
      : null;
  const merging = renaming !== undefined && holds === true;
  /** Submitted before the destination was known (a fast Enter): goes on once the probe answers. */
  const [submitted, setSubmitted] = useState(false);
  /** The folder a rename would merge into, asked about before it runs. */
  const [askMerge, setAskMerge] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const top = rootPrefix ? `“${rootLabel(rootPrefix)}”` : 'the bucket';
  const where = (f: string) => (f === '' ? `the top of ${top}` : `“${f}”`);

  /** `previous`: the result a retry ("Replace", "Try the failed again") is part of, merged with its own. */
  const run = async (
    list: ObjectEntry[],
    o: {
      move: boolean;
      replace: boolean;
      made?: Record<string, MadeCopy>;
      replaceIf?: Record<string, string>;
      previous?: CopyResult;
      /** `list` is what a call that failed as a whole left untried. */
      rest?: boolean;
    },
  ) => {
    // Never aborted: a call that was sent is let finish (see the unmount above); Stop sends no more.
    const controller = new AbortController();
    stop.current = false;
    setStopping(false);
    setBusy(true);
    props.onRunning?.(true);
    try {
      const result = await runCopy(
        list,
        (keys, signal) => {
          const made = o.made && madeFor(o.made, keys);
          const replaceIf = o.replaceIf && madeFor(o.replaceIf, keys);
          // A server restarting (or a load balancer moving off one) is waited out a few seconds, as
          // Download does: sent again, a batch finds the copies it made and goes on from them.
          return againWhileUnreachable(
            () =>
              copyObjects(
                keys,
                {
                  from,
                  base: folder,
                  to: path,
                  move: o.move,
                  replace: o.replace,
                  ...(made && { made }),
                  ...(replaceIf && { replaceIf }),
                },
                signal,
              ),
            { signal },
          );
        },
        {
          signal: controller.signal,
          stopped: () => stop.current,
          onProgress: (progress) => setPhase({ kind: 'running', move: o.move, progress }),
        },
      );
      const merged = o.previous ? mergeRetry(o.previous, list, result, { goingOn: o.rest === true }) : result;
      // A move run to the end leaves its folders empty but for what it left on purpose (names taken,
      // failures) and what was written there since the count, which the result names, as a delete's does.
      const late =
        o.move && !merged.stopped && asked.folders.length > 0
          ? await leftAfterDelete(
              asked.folders,
              new Set([...merged.conflicts, ...merged.errors].map((x) => x.entry.key)),
              listAllObjects,
            ).catch(() => []) // the move itself is done: not knowing what came later is no failure
          : [];
      setPhase({
        kind: 'finished',
        move: o.move,
        folder: to,
        result: merged,
        // Stopped: what it did not get to is offered to go on with, as `aws s3 cp` run again would
        // (started over, everything copied before would be "names taken" there).
        ...((!o.previous || o.rest) && result.stopped && result.unsent.length > 0 && { rest: result.unsent }),
        ...(late.length > 0 && { late }),
      });
    } catch (error) {
      const partial = (error as { partial?: CopyResult }).partial;
      const done = partial?.done ?? 0;
      const message = error instanceof Error ? error.message : String(error);
      if (partial) {
        // What was done before it is kept, with its lists and buttons; what the run did not get to
        // (its own objects, not a retry's, which keep their first outcome) is offered again. A Hoist
        // server restarting behind a load balancer stopped a folder rename with only "Close".
        setPhase({
          kind: 'finished',
          move: o.move,
          folder: to,
          result: o.previous ? mergeRetry(o.previous, list, partial, { goingOn: o.rest === true }) : partial,
          error: message,
          retried: o.previous !== undefined && !o.rest,
          ...((!o.previous || o.rest) && partial.unsent.length > 0 && { rest: partial.unsent }),
        });
      } else
        setPhase({
          kind: 'failed',
          message: `${message}${done > 0 ? ` (${formatCount(done)} of ${objectCount(list.length)} done before it)` : ''}`,
        });
    }
    setBusy(false);
    props.onRunning?.(false);
  };

  const start = () => {
    setAskMerge(null);
    if (objects) void run(objects, { move: renaming ? true : move, replace: false });
  };
  const submit = async () => {
    if (!ready) return;
    if (!objects) {
      // Pressed before the folder's objects are counted (a big folder, a busy machine): it goes on
      // once they are, as it does when the destination is not known yet; before, it was lost.
      submitWhenCounted.current = true;
      setSubmitted(true);
      return;
    }
    if (objects.length === 0) return;
    if (renaming !== undefined && askMerge !== to) {
      let there = holds;
      if (there === null) {
        // Enter pressed before the probe answered: it goes on (or asks) once it has; pressed again
        // meanwhile, it is the same submit, not a second run.
        if (probing.current) return;
        const at = edits.current;
        probing.current = true;
        setSubmitted(true);
        const page = await queryClient.fetchQuery(probe(to)).catch(() => null);
        probing.current = false;
        if (closed.current || edits.current !== at) return;
        setSubmitted(false);
        // Unknown (the listing failed): the rename goes on; a name taken there is still never replaced.
        there = page !== null && holdsObjects(page);
      }
      if (there) return setAskMerge(to);
    }
    start();
  };
  // Once the count is in (or failed), a submit that waited for it goes on, with the name as it is now.
  const counted = useEffectEvent(() => {
    if (!submitWhenCounted.current) return;
    submitWhenCounted.current = false;
    setSubmitted(false);
    if (objects !== null) void submit();
  });
  useEffect(() => {
    if (objects === null && countError === null) return;
    const soon = setTimeout(() => counted(), 0);
    return () => clearTimeout(soon);
  }, [objects, countError]);
  const backToName = () => {
    setAskMerge(null);
    input.current?.focus();
  };

  const box = useRef<HTMLDivElement>(null);
  const changed = phase.kind === 'finished' || phase.kind === 'failed';
  const askStop = () => {
    stop.current = true;
    setStopping(true);
  };
  useEscape(box, () => {
    if (phase.kind === 'running') askStop();
    else if (askMerge !== null) backToName();
    else props.onClose(changed);
  });
  const hint = useId();
  const versionsId = useId();
  const mergeQuestion = useId();
  const versions = renaming !== undefined || move ? versionsNote(props.versioning, 'move') : null;
  const title = renaming ? `Rename folder ${folderName}/` : `Move or copy ${props.label}`;
  const bytes = objects?.reduce((sum, o) => sum + o.size, 0) ?? 0;
  // "Move or copy 2 objects (3 MB)", not "2 objects: 2 objects (3 MB)"; a folder's count is news.
  const count = !objects
    ? null
    : props.label === objectCount(objects.length)
      ? ` (${formatBytes(bytes)})`
      : `: ${objectCount(objects.length)} (${formatBytes(bytes)})`;
  const doing = (m: boolean) => (m ? 'Moving' : 'Copying');
  const summaryOf = (p: Extract<Phase, { kind: 'finished' }>) =>
    copySummary(p.result, {
      move: p.move,
      where: where(p.folder),
      ...(renaming !== undefined && { renamed: where(renaming) }),
      ...(p.late && { late: p.late }),
    });

  return (
    <div role="dialog" aria-label={title} className="panel copy-dialog" ref={box}>
      <p className="panel-subject">
        {renaming ? (
          <>
            Rename folder <strong>{visibleName(folderName)}/</strong>
          </>
        ) : (
          <>
            Move or copy <strong>{visibleName(props.label)}</strong>
          </>
        )}
        {countError ? null : count}
      </p>
      {phase.kind === 'form' && (
        <form
          className="panel-row"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            {renaming ? 'New name or path' : 'Destination folder'}
            <input
              ref={input}
              value={typed}
              aria-describedby={versions ? `${hint} ${versionsId}` : hint}
              aria-invalid={problem !== null || undefined}
              autoFocus
              onFocus={(e) => e.target.select()}
              onChange={(e) => {
                setTyped(e.target.value);
                edits.current++;
                submitWhenCounted.current = false;
                setSubmitted(false);
                setAskMerge(null);
              }}
            />
          </label>
          {!renaming && (
            <fieldset className="choice">
              <legend className="sr-only">Move or copy</legend>
              <label>
                <input type="radio" name="copy-mode" checked={move} onChange={() => setMove(true)} /> Move
              </label>
              <label>
                <input type="radio" name="copy-mode" checked={!move} onChange={() => setMove(false)} /> Copy
              </label>
            </fieldset>
          )}
          {/* Not off while the objects are counted: a disabled default button drops the Enter (and the
              click) that comes before the count, which then waits for it (submit). */}
          <button
            type="submit"
            disabled={objects?.length === 0 || path === '' || unchanged || problem !== null}
          >
            {renaming ? 'Rename' : move ? 'Move' : 'Copy'}
          </button>
          <button type="button" onClick={() => props.onClose(false)}>
            Cancel
          </button>
        </form>
      )}
      {phase.kind === 'form' && (
        <>
          <p id={hint} className="note">
            {path !== '' && !unchanged && !problem ? `To ${where(to)}. ` : ''}A path is taken from the folder
            shown; start with “/” for one from the top of {top} (“/” alone is the top). Objects already there
            are not replaced unless you say so.
          </p>
          {versions && (
            <p id={versionsId} className="note" data-testid="versions-note">
              {versions}
            </p>
          )}
          <TypingProblem
            problem={problem}
            otherwise={
              submitted
                ? `Looking at ${where(to)}…`
                : merging && askMerge === null
                  ? `${where(to)} already holds objects: what moves in goes beside them, and a name taken there is left until you choose to replace it.`
                  : renaming === undefined && exists === false
                    ? `${where(to)} does not exist yet: it is made as the objects go in.`
                    : null
            }
          />
          {askMerge !== null && renaming !== undefined && (
            <div role="alertdialog" aria-labelledby={mergeQuestion} className="confirm">
              <p id={mergeQuestion}>
                {where(askMerge)} already holds objects. Merge {where(renaming)} into it? Its objects go
                beside those there, and a name taken there is left until you choose to replace it; nothing
                afterwards tells which came from where.
              </p>
              <button type="button" onClick={start}>
                Merge into {where(askMerge)}
              </button>
              <button type="button" autoFocus onClick={backToName}>
                Choose another name
              </button>
            </div>
          )}
          {countError && <p role="alert">Could not count the objects: {countError}</p>}
          {!objects && !countError && <p aria-live="polite">Counting the objects…</p>}
          {/* Not live: it changes with every 1,000 keys. */}
          {!objects && !countError && found > 0 && (
            <p className="note" data-testid="count-found">
              {formatCount(found)} found so far
            </p>
          )}
          {objects?.length === 0 && <p role="alert">There are no objects here any more.</p>}
        </>
      )}
      {phase.kind === 'running' && (
        <>
          {/* Not live: it changes with every batch of 50; the result is said when the run ends. */}
          <p>
            {doing(phase.move)}… {formatCount(phase.progress.settled)} of {objectCount(phase.progress.total)}{' '}
            ({formatBytes(phase.progress.settledBytes)} of {formatBytes(phase.progress.totalBytes)})
          </p>
          {stopping ? (
            <p aria-live="polite">Stopping once the objects being copied now are done…</p>
          ) : (
            // Focus goes here when the run starts (the button that started it is gone).
            <button type="button" autoFocus onClick={askStop}>
              Stop
            </button>
          )}
        </>
      )}
      {/* In the page from the run's start (empty), so the outcome set into it is said. */}
      {phase.kind !== 'form' && (
        <LiveLine text={phase.kind === 'finished' && !troubled(phase.result) ? summaryOf(phase) : null} />
      )}
      {phase.kind === 'finished' && (
        <FinishedCopy
          phase={phase}
          summary={summaryOf(phase)}
          rootPrefix={rootPrefix}
          onReplace={() =>
            void run(
              phase.result.conflicts.map((c) => c.entry),
              {
                move: phase.move,
                replace: true,
                replaceIf: replaceIfOf(phase.result.conflicts),
                previous: phase.result,
              },
            )
          }
          onRetry={() => {
            const again = retryPlan(phase.result.errors);
            void run(again.entries, {
              move: phase.move,
              replace: false,
              made: again.made,
              previous: phase.result,
            });
          }}
          onRest={() =>
            void run(phase.rest ?? [], {
              move: phase.move,
              replace: false,
              previous: phase.result,
              rest: true,
            })
          }
          onClose={() => props.onClose(true)}
          stoppedText={
            renaming ? 'The folder rename stopped' : phase.move ? 'The move stopped' : 'The copy stopped'
          }
        />
      )}
      {phase.kind === 'failed' && (
        <>
          <p role="alert">
            {renaming ? 'The folder could not be renamed' : 'The selection could not be copied'}:{' '}
            {phase.message}
          </p>
          <button type="button" autoFocus onClick={() => props.onClose(true)}>
            Close
          </button>
        </>
      )}
    </div>
  );
}

/** Some objects were left (their names taken) or failed. */
const troubled = (result: CopyResult) => result.conflicts.length > 0 || result.errors.length > 0;

/** A finished run's lists and buttons; a success's summary is said by the dialog's live line. */
function FinishedCopy(props: {
  phase: Extract<Phase, { kind: 'finished' }>;
  summary: string;
  rootPrefix: string;
  onReplace: () => void;
  onRetry: () => void;
  onRest: () => void;
  onClose: () => void;
  /** What an error of the first run is said with ("The move stopped: …"). */
  stoppedText: string;
}) {
  const { result } = props.phase;
  return (
    <>
      {props.phase.error !== undefined && (
        <p role="alert">
          {props.phase.retried ? 'Trying again failed' : props.stoppedText}: {props.phase.error}
        </p>
      )}
      {troubled(result) && <p role="alert">{props.summary}</p>}
      {result.notes.length > 0 && (
        <ul className="confirm-list">
          {result.notes.slice(0, 5).map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {result.conflicts.length > 0 && (
        <ul className="confirm-list" aria-label="Names taken at the destination">
          {conflictsInOrder(result.conflicts)
            .slice(0, 10)
            .map((e) => (
              <li key={e.entry.key}>
                {e.taken.slice(props.rootPrefix.length)}
                {e.existing && (
                  <span className="note">
                    {' '}
                    ({formatBytes(e.existing.size)} there, {formatBytes(e.entry.size)} yours)
                  </span>
                )}
              </li>
            ))}
          {result.conflicts.length > 10 && <li>…and {formatCount(result.conflicts.length - 10)} more</li>}
        </ul>
      )}
      {result.conflicts.length > 0 && (
        <button type="button" className="danger" onClick={props.onReplace}>
          Replace {result.conflicts.length === 1 ? 'it' : `those ${formatCount(result.conflicts.length)}`}
        </button>
      )}
      {props.phase.rest && (
        <button type="button" onClick={props.onRest}>
          {`${props.phase.error === undefined ? 'Go on with the rest' : 'Try the rest again'} (${objectCount(props.phase.rest.length)})`}
        </button>
      )}
      {retryable(result.errors).length > 0 && (
        <button type="button" onClick={props.onRetry}>
          Try the failed again
        </button>
      )}
      <button type="button" autoFocus onClick={props.onClose}>
        Close
      </button>
    </>
  );
}

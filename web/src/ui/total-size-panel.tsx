import { useEffect, useRef, useState } from 'react';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { listObjects } from '../api/objects.ts';
import { LiveLine } from './live-line.tsx';
import { tallySelection, tallyText, type SizeTally } from './total-size.ts';
import { useEscape } from './use-escape.ts';

type Phase =
  | { kind: 'counting'; tally: SizeTally }
  | { kind: 'done'; tally: SizeTally }
  | { kind: 'stopped'; tally: SizeTally }
  | { kind: 'failed'; tally: SizeTally; message: string };

const NONE: SizeTally = { objects: 0, bytes: 0 };
const STOPPED = new Error('stopped');

/**
 * "Calculate total size" of what is ticked, as the S3 console's action: the objects under the ticked
 * folders and the ticked objects, counted a listing page at a time with the running count shown and
 * Stop, then the total (the exact bytes too). `label` names the selection ("2 folders and 3 objects",
 * or the one folder ticked). Keyed by what it counts: it counts once, and again on "Try again".
 */
export function TotalSizePanel(props: {
  folders: string[];
  objects: ObjectEntry[];
  label: string;
  onClose: () => void;
}) {
  const [asked] = useState({ folders: props.folders, objects: props.objects });
  const [phase, setPhase] = useState<Phase>({ kind: 'counting', tally: NONE });
  const [attempt, setAttempt] = useState(0);
  const counting = useRef<AbortController | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEscape(box, props.onClose);
  useEffect(() => {
    const own = new AbortController();
    counting.current = own;
    let last = NONE;
    tallySelection(
      asked.objects,
      asked.folders,
      (prefix, cursor, signal) => listObjects(prefix, cursor, 1000, signal, ''),
      {
        signal: own.signal,
        onProgress: (tally) => {
          last = tally;
          setPhase({ kind: 'counting', tally });
        },
      },
    ).then(
      (tally) => setPhase({ kind: 'done', tally }),
      (error: unknown) => {
        if (own.signal.reason === STOPPED) setPhase({ kind: 'stopped', tally: last });
        else if (!own.signal.aborted)
          setPhase({
            kind: 'failed',
            tally: last,
            message: error instanceof Error ? error.message : String(error),
          });
      },
    );
    return () => own.abort();
  }, [asked, attempt]);

  const { tally } = phase;
  return (
    <div ref={box} role="dialog" aria-label={`Total size of ${props.label}`} className="panel total-size">
      <p className="panel-subject">Total size of {props.label}</p>
      {phase.kind === 'counting' && (
        // The running count is not live (it changes with every 1,000 keys); the outcome is.
        <p data-testid="total-size-counting">Counting… {tallyText(tally)} so far</p>
      )}
      {phase.kind !== 'counting' && phase.kind !== 'failed' && (
        <p data-testid="total-size">
          {phase.kind === 'done' ? tallyText(tally) : `Stopped after ${tallyText(tally)}: there is more.`}
        </p>
      )}
      <LiveLine
        srOnly
        testId="total-size-said"
        text={
          phase.kind === 'done'
            ? `Total size of ${props.label}: ${tallyText(tally)}.`
            : phase.kind === 'stopped'
              ? `Counting stopped after ${tallyText(tally)}.`
              : null
        }
      />
      {phase.kind === 'failed' && (
        <p role="alert">
          The count stopped after {tallyText(tally)}: {phase.message}
        </p>
      )}
      {phase.kind === 'failed' && (
        <button
          type="button"
          onClick={() => {
            setPhase({ kind: 'counting', tally: NONE });
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      )}
      {phase.kind === 'counting' ? (
        <button key="stop" type="button" autoFocus onClick={() => counting.current?.abort(STOPPED)}>
          Stop
        </button>
      ) : (
        <button key="close" type="button" autoFocus onClick={props.onClose}>
          Close
        </button>
      )}
    </div>
  );
}

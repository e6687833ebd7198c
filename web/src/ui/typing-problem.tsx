import { useEffect, useState } from 'react';

/** How long what is typed stays the same before a problem with it is said. */
export const SETTLE_MS = 800;

/**
 * What is wrong with what is being typed, or else what to know about it (`otherwise`). The line is
 * always in the page (a live region added already holding its text is not reliably announced) and
 * polite. A problem is said once typing pauses (`SETTLE_MS`), not at every key: typing the valid
 * "text/plain" said "t" is not a content type…, then "te"…, five times over, and a half-typed
 * "/many2/" said two wrong things. One gone is cleared at once. `urgent` (the user's action was refused
 * for it, e.g. files not added) says it at once, as an alert.
 */
export function TypingProblem({
  problem,
  prefix = '',
  otherwise = null,
  urgent = false,
  testId,
  id,
}: {
  problem: string | null;
  /** Said before the problem when there is one ("Files were not added yet: "). */
  prefix?: string;
  otherwise?: string | null;
  urgent?: boolean;
  testId?: string;
  /** For the fields it speaks of (`aria-describedby`). */
  id?: string;
}) {
  const [settled, setSettled] = useState(problem);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(problem), problem === null ? 0 : SETTLE_MS);
    return () => clearTimeout(timer);
  }, [problem]);
  const shown = urgent || problem === settled ? problem : null;
  return (
    <p
      className={shown === null ? 'typing-line' : 'typing-line error'}
      role={urgent ? 'alert' : 'status'}
      data-testid={testId}
      id={id}
    >
      {shown === null ? (otherwise ?? '') : `${prefix}${shown}`}
    </p>
  );
}

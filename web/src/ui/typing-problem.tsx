/**
 * What is wrong with what is being typed, or else what to know about it (`otherwise`). The line is
 * always in the page (a live region added already holding its text is not reliably announced) and
 * polite: it changes as the user types, and an alert would interrupt them at every key ("ap" is not a
 * content type…). `urgent` (the user's action was refused for it, e.g. files not added) makes it an
 * alert.
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
  /** Said before the problem when there is one ("Files were not added: "). */
  prefix?: string;
  otherwise?: string | null;
  urgent?: boolean;
  testId?: string;
  /** For the fields it speaks of (`aria-describedby`). */
  id?: string;
}) {
  return (
    <p
      className={problem === null ? 'typing-line' : 'typing-line error'}
      role={urgent ? 'alert' : 'status'}
      data-testid={testId}
      id={id}
    >
      {problem === null ? (otherwise ?? '') : `${prefix}${problem}`}
    </p>
  );
}

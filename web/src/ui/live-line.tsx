import type { ReactNode } from 'react';

/**
 * Where an outcome is said ("Saved.", "Moved 3 objects to “archive/”."): a polite live line that is
 * in the page before the outcome, empty, and gets its text when there is one (a live region added
 * already holding its text is not reliably announced; see TypingProblem and the downloads'
 * `download-said`). A failure (`urgent`) is said by an alert instead, which is announced as it
 * appears. `srOnly` when the text is also shown elsewhere, for screen readers alone.
 */
export function LiveLine({
  text,
  urgent = false,
  srOnly = false,
  testId,
}: {
  text: ReactNode | null;
  urgent?: boolean;
  srOnly?: boolean;
  testId?: string;
}) {
  const className = srOnly ? 'sr-only' : 'live-line';
  return (
    <>
      <p className={className} role="status" data-testid={testId}>
        {urgent ? '' : (text ?? '')}
      </p>
      {urgent && text !== null && (
        <p className={srOnly ? 'sr-only' : undefined} role="alert" data-testid={testId && `${testId}-alert`}>
          {text}
        </p>
      )}
    </>
  );
}

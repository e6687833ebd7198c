import { useEffect } from 'react';

/** The question to ask before what is typed in an open form is thrown away; null: nothing typed. */
let question: string | null = null;

/**
 * While `active` (something typed that is not saved), asks `ask` before the page throws the form away
 * by opening another panel, closing this one or opening another folder (`mayDiscardEdits`), as Escape
 * in the form does. Closing the tab asks too.
 */
export function useUnsavedEdits(active: boolean, ask: string): void {
  useEffect(() => {
    if (!active) return;
    question = ask;
    return () => {
      if (question === ask) question = null;
    };
  }, [active, ask]);
}

/** True when nothing typed would be lost, or the user says it may be. */
export function mayDiscardEdits(confirm: (question: string) => boolean = (q) => window.confirm(q)): boolean {
  return question === null || confirm(question);
}

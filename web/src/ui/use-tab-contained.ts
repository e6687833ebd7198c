import { useEffect, type RefObject } from 'react';

const TABBABLE =
  'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Tab and Shift+Tab go round the controls inside `box` (a prompt that asks before a delete), as in a
 * modal dialog (ARIA APG alertdialog): past its last control comes its first again, not the page
 * behind it, where Escape would no longer answer the prompt. A click elsewhere is the user's choice,
 * and left alone.
 */
export function useTabContained(box: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const el = box.current;
      if (
        e.key !== 'Tab' ||
        e.defaultPrevented ||
        !el ||
        !(e.target instanceof Node) ||
        !el.contains(e.target)
      )
        return;
      const controls = [...el.querySelectorAll<HTMLElement>(TABBABLE)].filter(
        (c) => c.getClientRects().length > 0,
      );
      const first = controls[0];
      const last = controls.at(-1);
      if (!first || !last) return;
      const wrapTo = e.shiftKey ? (e.target === first ? last : null) : e.target === last ? first : null;
      if (!wrapTo) return;
      e.preventDefault();
      wrapTo.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [box]);
}

import { useLayoutEffect, useMemo, useRef, type FocusEvent, type RefObject } from 'react';

const FOCUSABLE =
  'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), [tabindex]';

/**
 * Keeps a keyboard user's place inside `box` (a card) when the control they pressed disables itself
 * ("Pause all", "Previous page" on page 1) or goes ("Clear finished" taking its row of buttons): the
 * browser would drop the focus to the page, and the next Tab would start again from its top. Focus
 * moves to the control's partner when it has one (`data-partner` names the `data-partner-name` of the
 * control that undoes it: "Pause all" and "Resume all", so Enter pressed again toggles back), else to
 * the next control that can take it, else the one before, else `fallback` (the card's heading). It never
 * lands on a control marked `data-destructive` ("Cancel all"): a keyboard user pressing Enter again
 * would set it off unseen. Focus the user moved elsewhere, or out of the window, is left alone. Spread
 * what it returns on `box`.
 */
export function useFocusKept(
  box: RefObject<HTMLElement | null>,
  fallback: RefObject<HTMLElement | null>,
): { onFocus: (e: FocusEvent) => void; onBlur: (e: FocusEvent) => void } {
  /** The control inside `box` that had focus last, while it still counts as the user's place. */
  const last = useRef<HTMLElement | null>(null);
  const handlers = useMemo(
    () => ({
      onFocus: (e: FocusEvent) => {
        last.current = e.target instanceof HTMLElement ? e.target : null;
      },
      onBlur: (e: FocusEvent) => {
        const target = e.target instanceof HTMLElement ? e.target : null;
        // Going elsewhere, or a click on plain text (nothing next, the control still usable): no longer ours.
        if (e.relatedTarget !== null || (target && target.isConnected && !isDisabled(target)))
          last.current = null;
      },
    }),
    [],
  );

  // After every render: the control may have just been disabled (focus still on it until the browser
  // moves it) or removed (focus already on the page).
  useLayoutEffect(() => {
    if (!lostNow(box.current, last.current)) return;
    // Moved a frame later, and only if still lost: the page's own focus moves (a panel closing gives
    // focus back to what opened it) run first, and a screen reader hears one move, not two.
    const frame = requestAnimationFrame(() => {
      const el = box.current;
      const was = last.current;
      if (!el || !was || !lostNow(el, was)) return;
      const target = neighbour(el, was) ?? fallback.current;
      if (!target) return;
      if (!target.matches(FOCUSABLE)) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  });

  return handlers;
}

/** The control `was` (in `box`) had the focus, and is now off or gone with the focus on the page. */
function lostNow(box: HTMLElement | null, was: HTMLElement | null): boolean {
  if (!box || !was) return false;
  const active = document.activeElement;
  const onPage = active === null || active === document.body || active === document.documentElement;
  return (active === was && isDisabled(was)) || (onPage && (!was.isConnected || isDisabled(was)));
}

function isDisabled(el: HTMLElement): boolean {
  return el.matches(':disabled');
}

/**
 * `was`'s partner if it can take focus, else the next control after `was` that can, else the one
 * before (never a destructive one); none when `was` is gone.
 */
function neighbour(box: HTMLElement, was: HTMLElement): HTMLElement | null {
  if (!was.isConnected || !box.contains(was)) return null;
  const usable = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (c) =>
      c !== was && c.tabIndex >= 0 && c.getClientRects().length > 0 && c.dataset['destructive'] === undefined,
  );
  const partner = was.dataset['partner'];
  const undo = partner && usable.find((c) => c.dataset['partnerName'] === partner);
  if (undo) return undo;
  const after = usable.find((c) => was.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
  const before = usable.findLast((c) => was.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_PRECEDING);
  return after ?? before ?? null;
}

import { useEffect, useRef, type RefObject } from 'react';

/**
 * Calls `onEscape` when Escape is pressed inside `panel`, or with focus on nothing (on <body>: after
 * the focused button disabled itself, or a click on plain text), so a panel closes with Escape
 * whatever inside it had focus. Escape elsewhere (the filter box, another card) is left alone.
 */
export function useEscape(panel: RefObject<HTMLElement | null>, onEscape: () => void): void {
  const latest = useRef(onEscape);
  useEffect(() => {
    latest.current = onEscape;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const target = e.target instanceof Node ? e.target : null;
      const nowhere = target === null || target === document.body || target === document.documentElement;
      if (!nowhere && !panel.current?.contains(target)) return;
      e.preventDefault();
      latest.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [panel]);
}

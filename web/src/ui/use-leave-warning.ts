import { useEffect } from 'react';

/**
 * While `active`, leaving or reloading the page asks first (the browser's own "Leave site?"): for
 * work that a closed tab would cut short (uploads, downloads, a move between its calls).
 */
export function useLeaveWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
}

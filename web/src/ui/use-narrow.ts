import { useSyncExternalStore } from 'react';

/**
 * The width below which the object list drops its "Last modified" column (styles.css): a phone, or a
 * laptop at 400 % zoom. There the date goes under each name and a "Sort by" list stands in for the
 * column's header.
 */
export const NARROW_QUERY = '(max-width: 36rem)';

/** Whether the page is that narrow now; follows the window as it is resized or zoomed. */
export function useNarrow(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(NARROW_QUERY);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(NARROW_QUERY).matches,
    () => false,
  );
}

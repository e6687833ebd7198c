/**
 * Bringing a transfer card into view when transfers are started from elsewhere in the page: a
 * folder's Download far down the object list, or files dropped or pasted while the list is scrolled.
 * The card (its rows, listing line, Stop and progress) is above the fold then, out of sight.
 */
import { useLayoutEffect, useRef, useSyncExternalStore, type RefObject } from 'react';

export type TransferCard = 'uploads' | 'downloads';

const started: Record<TransferCard, number> = { uploads: 0, downloads: 0 };
const listeners = new Set<() => void>();

/** Transfers were started for `card`: its heading comes into view once the card is there. */
export function bringCardIntoView(card: TransferCard): void {
  started[card]++;
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Scrolls `heading` into view (`block: 'nearest'`: not at all when it is in view already) after each
 * `bringCardIntoView(card)`, once `shown`. Focus stays where it is, on what started the transfers.
 */
export function useCardBroughtIntoView(
  card: TransferCard,
  shown: boolean,
  heading: RefObject<HTMLElement | null>,
): void {
  const starts = useSyncExternalStore(subscribe, () => started[card]);
  const seen = useRef(starts);
  useLayoutEffect(() => {
    if (starts === seen.current || !shown || !heading.current) return;
    seen.current = starts;
    heading.current.scrollIntoView({ block: 'nearest' });
  }, [starts, shown, heading]);
}

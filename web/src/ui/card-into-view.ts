/**
 * Bringing a transfer card into view when transfers are started from elsewhere in the page: a
 * folder's Download far down the object list, or files dropped or pasted while the list is scrolled.
 * The card (its rows, listing line, Stop and progress) is above the fold then, out of sight.
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { createValueStore, useValueStore, type ValueStore } from './value-store.ts';

export type TransferCard = 'uploads' | 'downloads';

/** How many times transfers were started for each card. */
const started: Record<TransferCard, ValueStore<number>> = {
  uploads: createValueStore(0),
  downloads: createValueStore(0),
};

/** Transfers were started for `card`: its heading comes into view once the card is there. */
export function bringCardIntoView(card: TransferCard): void {
  started[card].set(started[card].get() + 1);
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
  const starts = useValueStore(started[card]);
  const seen = useRef(starts);
  useLayoutEffect(() => {
    if (starts === seen.current || !shown || !heading.current) return;
    seen.current = starts;
    heading.current.scrollIntoView({ block: 'nearest' });
  }, [starts, shown, heading]);
}

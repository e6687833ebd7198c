import { Fragment, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { FULL_RENDER_MAX, rowOffsets, windowRange } from './windowing.ts';

/** Until a row has been measured: the average of those that were, or this. */
const DEFAULT_ROW_HEIGHT = 72;
/** Rendered beyond the view above and below, so a quick scroll shows no blank. */
const OVERSCAN_PX = 400;
/** Before the box is measured. */
const MIN_ROWS = 12;

/**
 * A `<ul>` that scrolls in its own box (CSS `.transfers`) and, past `FULL_RENDER_MAX` rows, renders
 * only the rows in view: 10,500 rows cost the style, layout and React work of a few dozen. Rows may
 * differ in height (an error, a choice): each rendered row is measured after it renders and keeps
 * its height, so the spacers standing in for the rows out of view are their real height once seen.
 *
 * For screen readers it is the whole list: `renderItem` must render exactly one `<li>` with
 * `aria-posinset={position}` and `aria-setsize={setSize}`, so a row says "412 of 2,013" when only a
 * few dozen are in the page. Find in page sees only the rows rendered.
 */
export function VirtualList<T>({
  items,
  getKey,
  renderItem,
  label,
  className = 'transfers',
}: {
  items: readonly T[];
  getKey: (item: T) => string;
  /** `position`: 1-based place in `items`; `setSize`: `items.length`. */
  renderItem: (item: T, position: number, setSize: number) => ReactNode;
  label: string;
  className?: string;
}) {
  const list = useRef<HTMLUListElement>(null);
  /** Measured row heights by key; one Map for the list's life, `version` bumped when it changes. */
  const [heights] = useState(() => new Map<string, number>());
  const [, setVersion] = useState(0);
  const [view, setView] = useState({ scrollTop: 0, height: 0 });
  const windowed = items.length > FULL_RENDER_MAX;

  let average = DEFAULT_ROW_HEIGHT;
  if (heights.size > 0) {
    let sum = 0;
    for (const h of heights.values()) sum += h;
    average = sum / heights.size;
  }
  const offsets = windowed
    ? rowOffsets(items.length, (i) => heights.get(getKey(items[i]!)) ?? average)
    : null;
  const range = offsets
    ? windowRange(offsets, view, { overscanPx: OVERSCAN_PX, minRows: MIN_ROWS })
    : { start: 0, end: items.length, before: 0, after: 0 };
  const shown = items.slice(range.start, range.end);

  // The box's height (it changes with the window) and where it is scrolled to.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el || !windowed) return;
    const read = () => setView({ scrollTop: el.scrollTop, height: el.clientHeight });
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    el.addEventListener('scroll', read, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', read);
    };
  }, [windowed]);

  // Measure the rows just rendered; a height that differs from what the offsets assumed re-renders.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el || !windowed) return;
    let changed = false;
    // children: the top spacer, the rows, the bottom spacer.
    const rows = el.children;
    for (let j = 0; j + 1 < rows.length && j < shown.length; j++) {
      const height = (rows[j + 1] as HTMLElement).offsetHeight;
      const key = getKey(shown[j]!);
      const known = heights.get(key);
      if (height > 0 && (known === undefined || Math.abs(known - height) > 0.5)) {
        heights.set(key, height);
        if (known !== undefined || Math.abs(height - average) > 0.5) changed = true;
      }
    }
    // Rows gone from the list (Clear finished) are forgotten now and then.
    if (heights.size > 2 * items.length + 1000) {
      const keep = new Set(items.map(getKey));
      for (const key of heights.keys()) if (!keep.has(key)) heights.delete(key);
    }
    if (changed) setVersion((n) => n + 1);
  }, [items, shown, windowed, getKey, average, heights]);

  // role="list": Safari drops the list role of a `<ul>` styled `list-style: none`.
  return (
    <ul ref={list} role="list" className={windowed ? `${className} windowed` : className} aria-label={label}>
      {windowed && <li className="spacer" aria-hidden="true" style={{ height: range.before }} />}
      {shown.map((item, j) => (
        <Fragment key={getKey(item)}>{renderItem(item, range.start + j + 1, items.length)}</Fragment>
      ))}
      {windowed && <li className="spacer" aria-hidden="true" style={{ height: range.after }} />}
    </ul>
  );
}

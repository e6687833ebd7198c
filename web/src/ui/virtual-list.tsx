import { Fragment, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type ReactNode } from 'react';
import {
  FULL_RENDER_MAX,
  entryPins,
  focusPins,
  rowIndexes,
  rowOffsets,
  rowRuns,
  windowRange,
} from './windowing.ts';

/** Until a row has been measured: the average of those that were, or this. */
const DEFAULT_ROW_HEIGHT = 72;
/** Rendered beyond the view above and below, so a quick scroll shows no blank. */
const OVERSCAN_PX = 400;
/** Before the box is measured. */
const MIN_ROWS = 12;

/**
 * A `<ul>` that scrolls in its own box (CSS `.transfers`) and, past `FULL_RENDER_MAX` rows, renders
 * only the rows in view: 10,500 rows cost the style, layout and React work of a few dozen. Rows may
 * differ in height (an error, a choice): each rendered row is measured when it mounts and (by a
 * ResizeObserver) when its size changes, never on every render, and keeps its height, so the spacers
 * standing in for the rows out of view are their real height once seen.
 *
 * For screen readers and keyboards it behaves as the whole list would: `renderItem` must render
 * exactly one `<li>` (not of class `spacer`) with `aria-posinset={position}` and
 * `aria-setsize={setSize}`, so a row says "412 of 2,013" when only a few dozen are in the page. The
 * row holding focus stays rendered wherever the list is scrolled, until focus leaves it: a scroll never
 * drops focus to the page. So do the nearest rows before and after it for which `hasControls` is true
 * (it must be for each row that renders a button or other control Tab stops at, and only those), so
 * Tab and Shift+Tab reach them however many rows without one lie between; and, while focus is outside
 * the list, its first and last rows with a control, where Tab and Shift+Tab from the page come in.
 * Find in page sees only the rows rendered.
 */
export function VirtualList<T>({
  items,
  getKey,
  renderItem,
  hasControls,
  label,
  className = 'transfers',
}: {
  items: readonly T[];
  getKey: (item: T) => string;
  /** `position`: 1-based place in `items`; `setSize`: `items.length`. */
  renderItem: (item: T, position: number, setSize: number) => ReactNode;
  /** Whether the item's row has a control Tab stops at (a button), as `renderItem` renders it now. */
  hasControls: (item: T) => boolean;
  label: string;
  className?: string;
}) {
  const list = useRef<HTMLUListElement>(null);
  /** Measured row heights by key; one Map for the list's life, `version` bumped when it changes. */
  const [heights] = useState(() => new Map<string, number>());
  const [, setVersion] = useState(0);
  const [view, setView] = useState({ scrollTop: 0, height: 0 });
  /** The row focus is in (by key: it stays the same row when rows before it come or go). */
  const [focusKey, setFocusKey] = useState<string | null>(null);
  /** The row element focus is in, to take focus back when the focused button goes (see below). */
  const focusedRow = useRef<HTMLElement | null>(null);
  const windowed = items.length > FULL_RENDER_MAX;

  const average = averageOf(heights);
  const offsets = windowed
    ? rowOffsets(items.length, (i) => heights.get(getKey(items[i]!)) ?? average)
    : null;
  const focused = offsets && focusKey !== null ? items.findIndex((item) => getKey(item) === focusKey) : -1;
  // Not again on each scroll: with most rows finished, finding the rows with controls goes through
  // most of the list.
  const pins = useMemo(() => {
    if (!windowed) return [];
    const has = (i: number) => hasControls(items[i]!);
    return focused < 0 ? entryPins(items.length, has) : focusPins(focused, items.length, has);
  }, [windowed, items, focused, hasControls]);
  const { runs, after } = offsets
    ? rowRuns(offsets, windowRange(offsets, view, { overscanPx: OVERSCAN_PX, minRows: MIN_ROWS }), pins)
    : { runs: [{ start: 0, end: items.length, gapBefore: 0 }], after: 0 };
  const rendered = rowIndexes(runs);

  // The box's height (it changes with the window) and where it is scrolled to.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el || !windowed) return;
    const read = () => {
      setView({ scrollTop: el.scrollTop, height: el.clientHeight });
      // Focus gone without a focusout here (its button removed): the row need not stay.
      setFocusKey((key) => (el.contains(document.activeElement) ? key : null));
    };
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    el.addEventListener('scroll', read, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', read);
    };
  }, [windowed]);

  // Each rendered row is measured once when it mounts, and again by one ResizeObserver for the list
  // whenever its size changes (an error shown, a choice): never on a commit that changes neither, so a
  // progress tick forces no layout. A height that differs from what the offsets assumed re-renders.
  const observer = useRef<ResizeObserver | null>(null);
  /** The rows observed, and the key of each. */
  const [observed] = useState(() => new Map<Element, string>());
  useLayoutEffect(() => {
    if (!windowed) return;
    const rows = new ResizeObserver((entries) => {
      const average = averageOf(heights);
      let changed = false;
      for (const entry of entries) {
        const key = observed.get(entry.target);
        const height = entry.borderBoxSize[0]?.blockSize ?? 0;
        if (key !== undefined && remember(heights, key, height, average)) changed = true;
      }
      if (changed) setVersion((n) => n + 1);
    });
    observer.current = rows;
    return () => {
      rows.disconnect();
      observer.current = null;
      observed.clear();
    };
  }, [windowed, observed, heights]);

  // Rows mounted since the last commit are measured and observed, rows gone are no longer. Measured
  // here, before the first paint, not when the observer first reports (after it): a jump to rows never
  // seen then settles in one frame, as the spacers their heights change are right before it is drawn.
  useLayoutEffect(() => {
    const el = list.current;
    const rows = observer.current;
    if (!el || !rows) return;
    let changed = false;
    const elements = rowElements(el);
    const current = new Set<Element>();
    for (let j = 0; j < elements.length && j < rendered.length; j++) {
      const row = elements[j]!;
      current.add(row);
      if (observed.has(row)) continue;
      const key = getKey(items[rendered[j]!]!);
      observed.set(row, key);
      rows.observe(row, { box: 'border-box' });
      // Not offsetHeight: rounded to whole px, a few hundred rows would put the spacers px off.
      if (remember(heights, key, row.getBoundingClientRect().height, average)) changed = true;
    }
    for (const row of observed.keys())
      if (!current.has(row)) {
        rows.unobserve(row);
        observed.delete(row);
      }
    // Rows gone from the list (Clear finished) are forgotten now and then.
    if (heights.size > 2 * items.length + 1000) {
      const keep = new Set(items.map(getKey));
      for (const key of heights.keys()) if (!keep.has(key)) heights.delete(key);
    }
    if (changed) setVersion((n) => n + 1);
  }, [items, rendered, getKey, heights, observed, average]);

  // A row's button that goes while it has focus (Cancel turns into Retry, Pause rows finish) would drop
  // focus to the page, and a keyboard user back to its top: focus goes to what the row offers now (its
  // first button), else to the row itself, else (the row gone) to the list.
  useLayoutEffect(() => {
    const row = focusedRow.current;
    const el = list.current;
    if (!row || !el) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const target = row.isConnected ? (row.querySelector<HTMLElement>(FOCUSABLE) ?? row) : el;
    if (!target.hasAttribute('tabindex') && !target.matches(FOCUSABLE)) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  });

  // Which row focus went to; when it leaves the list (not for another window: focus stays put then).
  const onFocus = (e: FocusEvent<HTMLUListElement>) => {
    const rows = rowElements(e.currentTarget);
    const j = rows.findIndex((row) => row.contains(e.target));
    const index = rendered[j];
    focusedRow.current = rows[j] ?? null;
    setFocusKey(index === undefined ? null : getKey(items[index]!));
  };
  const onBlur = (e: FocusEvent<HTMLUListElement>) => {
    const el = e.currentTarget;
    if (el.contains(e.relatedTarget)) return;
    // Still in the page: focus was moved away on purpose (a click elsewhere, Tab out, another window).
    if (e.target.isConnected) focusedRow.current = null;
    setTimeout(() => {
      if (el.contains(document.activeElement)) return;
      focusedRow.current = null;
      setFocusKey(null);
    });
  };

  // One flat list of keyed children, rows and spacers each keyed by the row after it: a row never
  // moves in the DOM (which would drop focus), whatever runs come and go around it.
  const children: ReactNode[] = [];
  runs.forEach((run, r) => {
    if (windowed) {
      const key = r === 0 ? 'spacer:top' : `spacer:${getKey(items[run.start]!)}`;
      children.push(<li key={key} className="spacer" aria-hidden="true" style={{ height: run.gapBefore }} />);
    }
    for (let i = run.start; i < run.end; i++) {
      const item = items[i]!;
      children.push(<Fragment key={`row:${getKey(item)}`}>{renderItem(item, i + 1, items.length)}</Fragment>);
    }
  });
  if (windowed)
    children.push(<li key="spacer:end" className="spacer" aria-hidden="true" style={{ height: after }} />);

  // role="list": Safari drops the list role of a `<ul>` styled `list-style: none`.
  return (
    <ul
      ref={list}
      role="list"
      className={windowed ? `${className} windowed` : className}
      aria-label={label}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      {children}
    </ul>
  );
}

/** Until a row has been measured: the average of those that were, or `DEFAULT_ROW_HEIGHT`. */
function averageOf(heights: ReadonlyMap<string, number>): number {
  if (heights.size === 0) return DEFAULT_ROW_HEIGHT;
  let sum = 0;
  for (const h of heights.values()) sum += h;
  return sum / heights.size;
}

/**
 * Keeps a row's measured `height` (none while it is not laid out) and says whether the offsets
 * rendered are off by it: it changed, or was not known and is not the `average` they assumed.
 */
function remember(heights: Map<string, number>, key: string, height: number, average: number): boolean {
  const known = heights.get(key);
  if (height <= 0 || (known !== undefined && Math.abs(known - height) <= 0.5)) return false;
  heights.set(key, height);
  return known !== undefined || Math.abs(height - average) > 0.5;
}

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The rows rendered, in order (the spacers left out). */
function rowElements(list: HTMLElement): HTMLElement[] {
  return Array.from(list.children).filter(
    (child): child is HTMLElement => !child.classList.contains('spacer'),
  );
}

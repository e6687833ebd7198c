import { useId, useRef, useState, type ReactNode } from 'react';

/**
 * A row's actions on a phone: one "⋯" button that opens them as a sheet at the foot of the screen,
 * so a row is a line or two high rather than four buttons stacked (a page of 100 rows was about 20
 * screens). It is an HTML popover: a tap outside it or Escape closes it, and focus goes back to the
 * button; Tab out of it closes it too. A button in the sheet closes it once clicked, having done its
 * work; a panel it opens returns focus to the "⋯" (`returnFocusTo`), as the sheet's buttons are
 * hidden by then.
 */
export function RowMenu({
  name,
  children,
}: {
  /** The row's name, as its buttons' labels say it. */
  name: string;
  children: ReactNode;
}) {
  const id = useId();
  const sheet = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="row-menu-button"
        aria-label={`Actions for ${name}`}
        aria-expanded={open}
        aria-controls={id}
        popoverTarget={id}
      >
        ⋯
      </button>
      <div
        id={id}
        ref={sheet}
        popover="auto"
        className="row-sheet"
        role="group"
        aria-label={`Actions for ${name}`}
        onToggle={(e) => {
          const opened = e.newState === 'open';
          setOpen(opened);
          if (opened) sheet.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
        }}
        onClick={(e) => {
          if (e.target instanceof Element && e.target.closest('button')) sheet.current?.hidePopover();
        }}
        // Tab out of it closes it too (a tap on its title moves focus to nothing: it stays).
        onBlur={(e) => {
          const to = e.relatedTarget;
          if (to && !e.currentTarget.contains(to) && e.currentTarget.matches(':popover-open'))
            e.currentTarget.hidePopover();
        }}
      >
        <p className="row-sheet-title">{name}</p>
        {children}
      </div>
    </>
  );
}

/**
 * Where a panel opened by `clicked` gives focus back when it closes: the button itself, or for one in
 * a row's sheet, that row's "⋯".
 */
export function returnFocusTo(clicked: HTMLElement): HTMLElement {
  if (!clicked.closest('.row-sheet')) return clicked;
  return clicked.closest('td')?.querySelector<HTMLElement>('.row-menu-button') ?? clicked;
}

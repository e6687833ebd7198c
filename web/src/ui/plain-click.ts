/** What of a click tells whether the page may take it over (a React or DOM mouse event has it). */
export interface ClickFacts {
  button: number;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * A plain left click on a link, which the page may handle itself (open a folder without a reload).
 * Anything else is the browser's: Ctrl/Cmd opens a tab, Shift a window, Alt downloads, the middle
 * button a tab (an `auxclick`, never a `click` in current browsers, but some older ones sent it).
 */
export function isPlainClick(e: ClickFacts): boolean {
  return e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey;
}

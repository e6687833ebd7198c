import type { ReactNode } from 'react';
import { isPlainClick } from './plain-click.ts';

/**
 * A folder as a real link (`?prefix=…`): a plain click opens it in the page, no reload; Ctrl/Cmd,
 * Shift or middle click, "Copy link" and "Open in new tab" work as on any link. Enter on it is a
 * plain click.
 */
export function FolderLink(props: { href: string; onOpen: () => void; children: ReactNode }) {
  return (
    <a
      href={props.href}
      className="folder-link"
      onClick={(e) => {
        if (e.defaultPrevented || !isPlainClick(e)) return;
        e.preventDefault();
        props.onOpen();
      }}
    >
      {props.children}
    </a>
  );
}

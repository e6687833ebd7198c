import type { ReactElement } from 'react';
import type { FileKind } from './file-kind.ts';

// Drawn, not emoji: a machine without a colour emoji font (many Linux desktops and servers) showed an
// empty box before every name. 16 × 16, in the text's colour, hidden from screen readers (the row says
// "Folder" or the size).

const MARKS: Record<FileKind, ReactElement | null> = {
  image: (
    <>
      <circle cx="6.3" cy="7.3" r="0.9" fill="currentColor" stroke="none" />
      <path d="M5 12.5 7.2 9.6l1.4 1.6 1.1-1.3 1.8 2.6z" fill="currentColor" stroke="none" />
    </>
  ),
  video: <path d="M6.5 7.5v4.5l3.8-2.25z" fill="currentColor" stroke="none" />,
  audio: (
    <>
      <circle cx="7" cy="11.6" r="1.2" fill="currentColor" stroke="none" />
      <path d="M8.2 11.6V7.2l2 .7" />
    </>
  ),
  archive: <path d="M7.5 2v1.5M8.5 4v1.5M7.5 6v1.5M8.5 8v1.5M7 10.5h2v2H7z" />,
  document: <path d="M5.5 7.5h5M5.5 9.5h5M5.5 11.5h3.5" />,
  file: null,
};

const svgProps = {
  className: 'icon',
  viewBox: '0 0 16 16',
  width: 16,
  height: 16,
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1,
  strokeLinejoin: 'round',
  'aria-hidden': true,
  focusable: false,
} as const;

export function FileIcon({ kind }: { kind: FileKind }) {
  return (
    <svg {...svgProps} data-kind={kind}>
      <path d="M3.5 1.5h6l3 3v10h-9z" />
      <path d="M9.5 1.5v3h3" />
      {MARKS[kind]}
    </svg>
  );
}

export function FolderIcon() {
  return (
    <svg {...svgProps} className="icon folder-icon">
      <path d="M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z" />
    </svg>
  );
}

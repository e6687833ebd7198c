import { useState, type MouseEvent, type ReactNode } from 'react';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { downloadLink, openHref } from '../api/objects.ts';
import { downloadInBrowser } from '../transfer/download/index.ts';
import { formatBytes, formatDate } from './format.ts';
import { DownloadFolder } from './download-panel.tsx';
import { FileIcon, FolderIcon } from './file-icon.tsx';
import { fileKind } from './file-kind.ts';
import { FolderLink } from './folder-link.tsx';
import { storageClassLabel } from '../../../server/shared/storage-classes.ts';
import { againWhileUnreachable } from '../api/unreachable-retry.ts';
import { visibleName } from './visible-name.ts';
import { returnFocusTo, RowMenu } from './row-menu.tsx';

/** The id of the one hidden line each file's link is described by (the list renders it: `OpensInNewTab`). */
export const OPENS_IN_NEW_TAB = 'opens-in-new-tab';

/** What a screen reader says after a file's name: where the link goes. Once in the page, hidden. */
export function OpensInNewTab() {
  return (
    <span id={OPENS_IN_NEW_TAB} hidden>
      Opens in a new tab.
    </span>
  );
}

/** A row's action buttons: in its cell, or on a phone (`inMenu`) behind one "⋯" button (row-menu.tsx). */
function RowActions(props: { name: string; inMenu: boolean; buttons: ReactNode; children?: ReactNode }) {
  return (
    <td className="one-line row-actions">
      {props.inMenu ? <RowMenu name={visibleName(props.name)}>{props.buttons}</RowMenu> : props.buttons}
      {props.children}
    </td>
  );
}

/** A row's button that opens a panel, given where focus goes back when the panel closes. */
function PanelButton(props: {
  label: string;
  /** A delete or move runs: the panel waits for it. */
  busy: boolean;
  onOpen: (from: HTMLElement) => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={props.label}
      disabled={props.busy}
      onClick={(e) => props.onOpen(returnFocusTo(e.currentTarget))}
    >
      {props.children}
    </button>
  );
}

/** One object's row in the browser: its tick box, name, size, date and actions. */
export function ObjectRow(props: {
  entry: ObjectEntry;
  name: string;
  selected: boolean;
  /** A delete runs: actions wait for it. */
  busy: boolean;
  onToggle: (e: MouseEvent | { shiftKey: boolean }) => void;
  onShare: (from: HTMLElement) => void;
  onDetails: (from: HTMLElement) => void;
  onRename: (from: HTMLElement) => void;
  /** A narrow screen: no "Last modified" column (the date goes under the name), actions in a menu. */
  narrow?: boolean;
}) {
  const { entry, name } = props;
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setError(null);
    try {
      // The browser's own download manager takes it: any size, no memory cost in the page.
      await downloadInBrowser(await againWhileUnreachable(() => downloadLink(entry.key)));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <tr aria-selected={props.selected} data-testid="object-row">
      <td>
        <RowCheckbox label={`Select ${name}`} checked={props.selected} onToggle={props.onToggle} />
      </td>
      <td className="name">
        <span className="object-name">
          {/* "Open", as in the S3 console: shown in a tab of its own (a link, so Ctrl+click, middle click
              and "Copy link" work as on any other). */}
          <a
            className="object-link"
            href={openHref(entry.key)}
            target="_blank"
            rel="noopener"
            aria-describedby={OPENS_IN_NEW_TAB}
          >
            <FileIcon kind={fileKind(name)} />
            {visibleName(name)}
          </a>
          {entry.storageClass && (
            // The S3 console's "Storage class" column, said only where it is not Standard.
            <span className="note" title="Storage class">
              {' '}
              · {storageClassLabel(entry.storageClass)}
            </span>
          )}
        </span>
        {props.narrow && <span className="row-date">{formatDate(entry.lastModified)}</span>}
      </td>
      <td className="one-line">{formatBytes(entry.size)}</td>
      <td className="one-line date">{formatDate(entry.lastModified)}</td>
      <RowActions
        name={name}
        inMenu={props.narrow ?? false}
        buttons={
          <>
            <button type="button" aria-label={`Download ${name}`} onClick={() => void download()}>
              Download
            </button>{' '}
            {/* Rename second, as in a folder's row: the column of Renames lines up down the list. */}
            <PanelButton label={`Rename ${name}`} busy={props.busy} onOpen={props.onRename}>
              Rename
            </PanelButton>{' '}
            <PanelButton label={`Share ${name}`} busy={props.busy} onOpen={props.onShare}>
              Share
            </PanelButton>{' '}
            <PanelButton label={`Details of ${name}`} busy={props.busy} onOpen={props.onDetails}>
              Details
            </PanelButton>
          </>
        }
      >
        {error && <span role="alert">{error}</span>}
      </RowActions>
    </tr>
  );
}

/** A folder's row: its name is a link that opens it; downloads everything under it, or deletes it. */
export function FolderRow(props: {
  /** The folder's whole prefix ("photos/2024/"). */
  folder: string;
  /** Its name in the folder shown ("2024/"). */
  name: string;
  /** The prefix of the folder shown. */
  prefix: string;
  /** The page's address showing the folder (`?prefix=…`). */
  href: string;
  selected: boolean;
  /** A delete runs: actions wait for it. */
  busy: boolean;
  onToggle: (e: MouseEvent | { shiftKey: boolean }) => void;
  onOpen: () => void;
  onDelete: (from: HTMLElement) => void;
  onRename: (from: HTMLElement) => void;
  /** A narrow screen: actions in a menu. */
  narrow?: boolean;
}) {
  const { name } = props;
  return (
    <tr className="folder" aria-selected={props.selected} data-testid="folder-row">
      <td>
        <RowCheckbox label={`Select folder ${name}`} checked={props.selected} onToggle={props.onToggle} />
      </td>
      <td className="name">
        <FolderLink href={props.href} onOpen={props.onOpen}>
          <FolderIcon />
          {visibleName(name)}
        </FolderLink>
      </td>
      <td>Folder</td>
      <td />
      <RowActions
        name={name}
        inMenu={props.narrow ?? false}
        buttons={
          <>
            <DownloadFolder folder={props.folder} prefix={props.prefix} label={name} busy={props.busy} />{' '}
            <PanelButton label={`Rename folder ${name}`} busy={props.busy} onOpen={props.onRename}>
              Rename
            </PanelButton>{' '}
            <PanelButton label={`Delete folder ${name}`} busy={props.busy} onOpen={props.onDelete}>
              Delete
            </PanelButton>
          </>
        }
      />
    </tr>
  );
}

/** A row's tick box: click, or Shift+click / Shift+Space for a range from the last one ticked. */
export function RowCheckbox(props: {
  label: string;
  checked: boolean;
  onToggle: (e: MouseEvent | { shiftKey: boolean }) => void;
}) {
  return (
    <input
      type="checkbox"
      aria-label={props.label}
      checked={props.checked}
      onClick={(e) => props.onToggle(e)}
      onKeyDown={(e) => {
        if (e.key === ' ' && e.shiftKey) {
          e.preventDefault();
          props.onToggle({ shiftKey: true });
        }
      }}
      onChange={() => undefined}
    />
  );
}

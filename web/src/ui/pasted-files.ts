import type { UploadFileInput } from '../transfer/upload/index.ts';

/**
 * Files pasted on the page (Ctrl+V or ⌘V after copying files, or a screenshot), as Uppy's Dashboard
 * takes them: none while a text field or other editable element has the focus, where a paste is text,
 * and none when the clipboard holds only text.
 */
export function pastedFiles(e: {
  clipboardData: Pick<DataTransfer, 'files'> | null;
  target: EventTarget | null;
}): UploadFileInput[] {
  if (isEditable(e.target)) return [];
  return Array.from(e.clipboardData?.files ?? [], (file) => ({ file }));
}

function isEditable(target: EventTarget | null): boolean {
  const element = target as { closest?: (selector: string) => unknown } | null;
  if (typeof element?.closest !== 'function') return false;
  return (
    element.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])') !== null
  );
}

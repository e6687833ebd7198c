import { useEffect, useRef } from 'react';
import { bringCardIntoView } from './card-into-view.ts';
import { pastedFiles } from './pasted-files.ts';
import { addUploads } from './upload-settings-store.ts';
import { getUploadManager } from './use-upload-manager.ts';

/**
 * Files pasted anywhere on the page upload into the folder being browsed, with the same steps as a
 * drop (`addUploads`). `folder === null`: not ready to upload (signed out, or the server not answering
 * yet), and the paste is left alone.
 */
export function usePasteUpload(folder: string | null): void {
  const target = useRef(folder);
  useEffect(() => {
    target.current = folder;
  }, [folder]);
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const folder = target.current;
      if (folder === null || e.defaultPrevented) return;
      const files = pastedFiles(e);
      if (files.length === 0) return;
      e.preventDefault();
      addUploads(getUploadManager(), folder, files);
      bringCardIntoView('uploads');
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);
}

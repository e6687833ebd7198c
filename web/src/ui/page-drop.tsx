import { useEffect, useRef, useState } from 'react';
import { bringCardIntoView } from './card-into-view.ts';
import { carriesFiles, filesFromDrop } from './dropped-files.ts';
import { rootLabel } from './upload-folder.ts';
import { shortFolderLabel } from './breadcrumbs.ts';
import { addUploads } from './upload-settings-store.ts';
import { getUploadManager } from './use-upload-manager.ts';

/**
 * Files dropped anywhere on the page upload into the folder being browsed, as the S3 console's
 * object list does, with the upload panel's own steps (`filesFromDrop`, `addUploads`, the page's
 * upload manager). A drop the upload panel's box took already is left to it. Files are never let
 * through to the browser, which would open them in place of the app; dragged text is left alone.
 * `folder === null`: not ready to upload (signed out, or the server not answering yet).
 */
export function PageDrop({ rootPrefix, folder }: { rootPrefix: string; folder: string | null }) {
  const [over, setOver] = useState(false);
  const target = useRef(folder);
  useEffect(() => {
    target.current = folder;
  }, [folder]);
  useEffect(() => {
    // dragenter/dragleave fire for every element crossed: the drag is over the page while the
    // entries outnumber the leaves.
    let depth = 0;
    const files = (e: DragEvent) => carriesFiles(e.dataTransfer ? [...e.dataTransfer.types] : undefined);
    const onEnter = (e: DragEvent) => {
      if (!files(e)) return;
      depth++;
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!files(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onOver = (e: DragEvent) => {
      if (!files(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = target.current === null ? 'none' : 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!files(e)) return;
      depth = 0;
      setOver(false);
      const folder = target.current;
      const taken = e.defaultPrevented;
      e.preventDefault();
      if (taken || folder === null || !e.dataTransfer) return;
      void filesFromDrop(e.dataTransfer).then(({ files, unreadable }) => {
        addUploads(getUploadManager(), folder, files, { unreadable });
        bringCardIntoView('uploads');
      });
    };
    const onEnd = () => {
      depth = 0;
      setOver(false);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', onEnd);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', onEnd);
    };
  }, []);
  if (!over || folder === null) return null;
  return (
    <div className="page-drop" data-testid="page-drop" aria-hidden="true">
      <p>
        Drop to upload to <strong>{shortFolderLabel(rootLabel(rootPrefix), folder)}</strong>
      </p>
    </div>
  );
}

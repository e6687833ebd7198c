/** The upload engine's error class is the shared transfer error (one class, stable `code`). */
import { TransferError } from '../shared/transfer-error.ts';

export {
  TransferError as UploadError,
  type TransferErrorCode as UploadErrorCode,
} from '../shared/transfer-error.ts';

/** The file changed on disk (or went) after it was picked: Chromium never reads that File again. */
export function fileUnreadable(name: string | null, cause: unknown): TransferError {
  return new TransferError(
    'file-unreadable',
    `${name === null ? 'The file' : `"${name}"`} can no longer be read: it changed on disk (or was moved or ` +
      'deleted) after it was picked. Pick it again to upload it as it is now.',
    { cause },
  );
}

/**
 * The file's sampled bytes are not those it had when its upload began, though Chromium still reads it
 * (rewritten in place with its size and mtime kept): its parts would make an object of both.
 */
export function fileChanged(name: string): TransferError {
  return new TransferError(
    'file-unreadable',
    `"${name}" changed on disk while it was uploading (its size and modification time stayed the same), ` +
      'so what was sent would mix old and new bytes. Pick it again to upload it as it is now.',
  );
}

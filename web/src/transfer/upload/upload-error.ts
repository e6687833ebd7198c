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

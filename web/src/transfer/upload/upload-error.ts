/** The upload engine's error class is the shared transfer error (one class, stable `code`). */
export {
  TransferError as UploadError,
  type TransferErrorCode as UploadErrorCode,
} from '../shared/transfer-error.ts';

/**
 * The one error class of the transfer engines. `code` is stable (tests, UI copy and the retry policy
 * switch on it); `message` is written for a person and says how to fix it where we know how.
 */
export type TransferErrorCode =
  /** fetch rejected: offline, DNS, connection reset, or a CORS-less answer (an S3 403 looks the same). */
  | 'network'
  /** 403 whose body says the presigned URL has expired. */
  | 'expired-url'
  /** Any other 403 (signature mismatch, clock skew…): re-sign once more, then give up. */
  | 'forbidden'
  | 'http-5xx'
  /** 429, or 503 SlowDown. */
  | 'throttled'
  /** 400 BadDigest / checksum mismatch: the part is hashed again and sent again. */
  | 'bad-digest'
  | 'missing-etag'
  | 'no-such-upload'
  /** The request made no progress for too long and was aborted by the engine. */
  | 'stalled'
  | 'client-4xx'
  /** The server API answered with an error (see `cause`, an ApiError). */
  | 'api'
  | 'not-same-file'
  | 'locked-elsewhere'
  | 'file-unreadable'
  /** A part's bytes could not be read to be hashed, though the file still reads: read again. */
  | 'read-failed'
  | 'upload-expired'
  /** 412 on a PUT signed `If-None-Match: *`: an object appeared at the key since the upload began. */
  | 'key-exists'
  /** 412 on a "Replace" PUT signed `If-Match` an object the key still holds: the store refuses the condition. */
  | 'replace-refused'
  /** 507, or QuotaExceeded: the storage is out of space; Retry once some is freed. */
  | 'store-full';

export class TransferError extends Error {
  override readonly name = 'TransferError';
  readonly code: TransferErrorCode;
  /** HTTP status when there was an answer, 0 for a network failure, undefined otherwise. */
  readonly status: number | undefined;

  constructor(code: TransferErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}

/** The `{ code, message }` pair the snapshot carries (no stack, no cause: it is rendered). */
export interface ErrorInfo {
  code: string;
  message: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'unknown', message: error.message };
  }
  return { code: 'unknown', message: String(error) };
}

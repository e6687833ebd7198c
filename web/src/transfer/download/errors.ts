/**
 * The download engine's one error class. `code` is stable (tests, UI copy and the retry policy switch
 * on it); `message` is written for a person and says what to do about it where we know.
 */
export type DownloadErrorCode =
  /** fetch rejected or the body broke off: offline, DNS, reset, or a CORS-less answer. */
  | 'network'
  /** 429, or 503 SlowDown. */
  | 'throttled'
  | 'http-5xx'
  /** 403 whose body says the presigned URL has expired. */
  | 'expired-url'
  /** Any other 403 (signature, clock skew, permissions). */
  | 'http-403'
  /** The object is gone. */
  | 'http-404'
  | 'http-4xx'
  /** 412 on If-Match, or a fresh link names another version: the object changed on the server. */
  | 'changed'
  /** The answer did not match the request (status, Content-Range, length). */
  | 'bad-response'
  /** Size or checksum of the bytes on disk differs from the object. */
  | 'corrupt'
  /** The destination refused a write (permission revoked, a folder in the way). */
  | 'write-failed'
  /** The folder's disk (or the browser's storage quota) has no room: the queue holds until Resume. */
  | 'disk-full'
  /** The page may no longer write to the folder (its permission was withdrawn): held until Resume asks again. */
  | 'no-permission'
  /** The server API refused to sign a link (see `cause`). */
  | 'link-failed'
  /**
   * No browser can fetch the key (a "." or ".." folder, which every URL resolves away): retrying
   * cannot change that, so the row offers no Retry.
   */
  | 'not-downloadable';

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  readonly code: DownloadErrorCode;
  /** HTTP status when there was an answer. */
  readonly status: number | undefined;
  /** From a Retry-After header, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: DownloadErrorCode,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The `{ code, message }` pair the snapshot carries. */
export interface DownloadErrorInfo {
  code: DownloadErrorCode | 'unknown';
  message: string;
}

export function toErrorInfo(error: unknown): DownloadErrorInfo {
  if (error instanceof DownloadError) return { code: error.code, message: error.message };
  return { code: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Turns anything thrown while talking to the server API (`api.link`) into a DownloadError. ApiError-like
 * values carry `{ code, status }`; a TypeError from fetch is a network failure.
 */
export function fromApiError(key: string, error: unknown): DownloadError {
  if (error instanceof DownloadError) return error;
  const { status, message, code, retryAfterMs } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as {
    status?: unknown;
    message?: unknown;
    code?: unknown;
    retryAfterMs?: unknown;
  };
  // The server's Retry-After (ApiError), as a GET's is: the retry waits at least that long.
  const after = typeof retryAfterMs === 'number' ? { retryAfterMs } : {};
  const text = typeof message === 'string' ? message : String(error);
  if (code === 'dot-segment')
    return new DownloadError('not-downloadable', text, { status: 400, cause: error });
  if (error instanceof TypeError || status === 0) {
    return new DownloadError('network', `Couldn't reach the server to sign "${key}": ${text}`, {
      status: 0,
      cause: error,
    });
  }
  if (typeof status === 'number') {
    if (status === 404) {
      return new DownloadError('http-404', `"${key}" is no longer in the bucket.`, {
        status,
        cause: error,
      });
    }
    if (status === 429) return new DownloadError('throttled', text, { status, cause: error, ...after });
    if (status >= 500) return new DownloadError('http-5xx', text, { status, cause: error, ...after });
  }
  return new DownloadError('link-failed', `The server would not sign a download link for "${key}": ${text}`, {
    status: typeof status === 'number' ? status : undefined,
    cause: error,
  });
}

/** What the browser throws when the disk or its storage quota is full (a DOMException, or its subclass). */
function isQuotaError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError'
  );
}

/** What the browser throws once the page's permission to the folder was withdrawn (site settings). */
function isPermissionError(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'NotAllowedError' || name === 'SecurityError';
}

/**
 * Turns what the folder threw while a file was created, written or saved (renamed to its real name)
 * into a DownloadError: 'disk-full' when there is no room, 'no-permission' when the page may no longer
 * write there, 'write-failed' otherwise.
 */
export function fromWriteError(
  relativePath: string,
  doing: 'create' | 'write' | 'save',
  error: unknown,
): DownloadError {
  if (error instanceof DownloadError) return error;
  if (isQuotaError(error)) {
    return new DownloadError(
      'disk-full',
      `The download folder is out of space: "${relativePath}" could not be saved. Free some space, then "Resume downloads" (or this row's Retry).`,
      { cause: error },
    );
  }
  if (isPermissionError(error)) {
    return new DownloadError(
      'no-permission',
      `This page may no longer write to the download folder (its permission was withdrawn): "${relativePath}" could not be saved. Resume asks for it again.`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DownloadError(
    'write-failed',
    `Couldn't ${doing} "${relativePath}" in the folder (permission withdrawn, or something in the way?): ${reason}`,
    { cause: error },
  );
}

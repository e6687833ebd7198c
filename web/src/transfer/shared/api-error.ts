/**
 * What every call to the Hoist server's API throws when it fails (the app's `unwrap`, the engines'
 * fakes): the server's stable `code` and the HTTP status, 0 when there was no answer. Both engines
 * decide by it whether to wait for the server rather than spend retries.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The server's `error.code` (e.g. 'already-completed', 'no-such-upload', 'token-expired'), or 'network'. */
  readonly code: string;
  /** HTTP status; 0 = network failure (no answer). */
  readonly status: number;
  /** How long the server asked to wait before trying again (its Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, 'cause' in options ? { cause: options.cause } : {});
    this.code = code;
    this.status = status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * No answer from the Hoist server (restarting, or a proxy in front of it says 502/503/504 without a
 * Hoist error body): worth waiting for rather than spending retries.
 */
export function isServerUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || /^http-50[234]$/.test(error.code));
}

/**
 * The Hoist server took the call but gave no answer before its deadline: often because it waits on a
 * store that hangs (a write, such as an abort, has no deadline of its own there), so the store is
 * worth asking about before the user's connection is blamed.
 */
export function isTimedOut(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 0 &&
    error.cause instanceof DOMException &&
    error.cause.name === 'TimeoutError'
  );
}

/**
 * The Hoist server refused the call for want of a session (401: the session expired, or the access
 * token changed and ended everyone's). Not the transfer's fault: it waits for the user to sign in. A
 * 401 from the storage to a presigned URL is no ApiError, so never this.
 */
export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

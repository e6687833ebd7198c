/**
 * What to do after a failed request, as a pure function of (error, attempt) like tus `shouldRetry`.
 * Understands the engines' TransferError codes and API errors shaped `{ code, status }` (status 0 =
 * the request never got an answer).
 */
import { isAbortError } from './signals.ts';

export type RetryDecision =
  | { retry: false }
  | {
      retry: true;
      /** Ask the server for a fresh presigned URL before the next attempt. */
      resign: boolean;
      /** Hash the bytes again (the store said the checksum did not match). */
      rehash: boolean;
    };

export const DEFAULT_MAX_RETRIES = 5;

const NO: RetryDecision = { retry: false };
const PLAIN: RetryDecision = { retry: true, resign: false, rehash: false };
const RESIGN: RetryDecision = { retry: true, resign: true, rehash: false };
const REHASH: RetryDecision = { retry: true, resign: true, rehash: true };

/** `attempt` counts failures so far (1 after the first failure). */
export function shouldRetry(
  error: unknown,
  attempt: number,
  maxRetries: number = DEFAULT_MAX_RETRIES,
): RetryDecision {
  if (attempt > maxRetries || isAbortError(error)) return NO;
  if (typeof error !== 'object' || error === null) return NO;
  const { code, status } = error as { code?: unknown; status?: unknown };
  switch (code) {
    case 'network':
    case 'expired-url':
    case 'forbidden':
      return RESIGN;
    case 'http-5xx':
    case 'throttled':
    case 'stalled':
    case 'read-failed': // its checksum is forgotten (part-signing.ts), so the part is read and hashed again
      return PLAIN;
    case 'bad-digest':
      return REHASH;
    case 'missing-etag':
    case 'no-such-upload':
    case 'client-4xx':
    case 'not-same-file':
    case 'locked-elsewhere':
    case 'file-unreadable':
    case 'upload-expired':
    case 'key-exists':
    case 'store-denied': // the server's S3 settings are wrong (its message names which)
    case 'no-such-bucket':
    case 'store-full': // the storage is out of space: trying again at once only fails again
      return NO;
  }
  // API errors: decided by status.
  if (typeof status === 'number') {
    if (status === 0 || status === 429 || status >= 500) return PLAIN;
  }
  return NO;
}

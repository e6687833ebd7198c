/**
 * What to do after a failed request, as a pure function of (error, attempt), like tus `shouldRetry`:
 * network errors, 5xx and throttling are retried with backoff; a 403 asks for a fresh presigned URL
 * (the caller allows that once per failure streak); everything else fails at once.
 */
import { backoffDelay, type BackoffOptions } from '../shared/backoff.ts';
import type { DownloadError } from './errors.ts';

export type RetryDecision = { action: 'fail' } | { action: 'retry'; delayMs: number } | { action: 're-sign' };

/** `attempt` counts failures so far (1 after the first failure). */
export function decideRetry(
  error: DownloadError,
  attempt: number,
  options: { maxRetries: number; backoff: BackoffOptions; random?: () => number },
): RetryDecision {
  switch (error.code) {
    case 'expired-url':
    case 'http-403':
      return { action: 're-sign' };
    case 'network':
    case 'http-5xx':
    case 'throttled': {
      if (attempt > options.maxRetries) return { action: 'fail' };
      const jittered = backoffDelay(attempt, options.backoff, options.random);
      return { action: 'retry', delayMs: Math.max(jittered, error.retryAfterMs ?? 0) };
    }
    default:
      return { action: 'fail' };
  }
}

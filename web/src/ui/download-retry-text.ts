import type { DownloadErrorCode } from '../transfer/download/index.ts';

/**
 * What a row says while a failed request waits to be tried again, by what failed: a store that
 * answered "slow down" (503 SlowDown, 429) or with a 5xx is busy or in trouble, not a broken
 * connection, and the user would look for the fault in the wrong place.
 */
export function downloadRetryText(after: DownloadErrorCode | null, retries: number): string {
  const why =
    after === 'throttled'
      ? 'The storage is busy'
      : after === 'http-5xx'
        ? 'The storage answered with an error'
        : 'The connection broke';
  return `${why}: trying again (${retries})…`;
}

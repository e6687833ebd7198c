import { describe, expect, it } from 'vitest';
import { shouldRetry } from './retry-policy.ts';
import { TransferError, type TransferErrorCode } from './transfer-error.ts';

const err = (code: TransferErrorCode, status?: number) => new TransferError(code, code, { status });
const api = (code: string, status: number) => Object.assign(new Error(code), { code, status });

describe('shouldRetry', () => {
  it.each([
    ['network', err('network', 0), { retry: true, resign: true, rehash: false }],
    ['expired URL', err('expired-url', 403), { retry: true, resign: true, rehash: false }],
    ['other 403', err('forbidden', 403), { retry: true, resign: true, rehash: false }],
    ['5xx', err('http-5xx', 500), { retry: true, resign: false, rehash: false }],
    ['429 / SlowDown', err('throttled', 503), { retry: true, resign: false, rehash: false }],
    ['stalled', err('stalled'), { retry: true, resign: false, rehash: false }],
    [
      'a part that could not be read to be hashed',
      err('read-failed'),
      { retry: true, resign: false, rehash: false },
    ],
    ['bad digest', err('bad-digest', 400), { retry: true, resign: true, rehash: true }],
    ['missing ETag', err('missing-etag', 200), { retry: false }],
    ['no such upload', err('no-such-upload', 404), { retry: false }],
    ['other 4xx', err('client-4xx', 400), { retry: false }],
    ['API network failure', api('network', 0), { retry: true, resign: true, rehash: false }],
    ['API 503', api('unavailable', 503), { retry: true, resign: false, rehash: false }],
    ['API 429', api('rate-limited', 429), { retry: true, resign: false, rehash: false }],
    ['API 400', api('bad-request', 400), { retry: false }],
    ['API 409', api('already-completed', 409), { retry: false }],
    ['API 502 from wrong S3 credentials', api('store-denied', 502), { retry: false }],
    ['API 502 for a missing bucket', api('no-such-bucket', 502), { retry: false }],
    [
      'API 502 for another store error',
      api('store-error', 502),
      { retry: true, resign: false, rehash: false },
    ],
    ['AbortError', new DOMException('x', 'AbortError'), { retry: false }],
    ['a string', 'boom', { retry: false }],
  ])('%s', (_, error, expected) => {
    expect(shouldRetry(error, 1)).toEqual(expected);
  });

  it('stops once the attempts pass maxRetries', () => {
    expect(shouldRetry(err('network'), 5, 5).retry).toBe(true);
    expect(shouldRetry(err('network'), 6, 5).retry).toBe(false);
    expect(shouldRetry(err('http-5xx'), 1, 0).retry).toBe(false);
  });
});

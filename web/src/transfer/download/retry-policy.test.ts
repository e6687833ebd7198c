import { describe, expect, it } from 'vitest';
import { DownloadError, fromApiError, type DownloadErrorCode } from './errors.ts';
import { decideRetry } from './retry-policy.ts';

const options = { maxRetries: 3, backoff: { baseMs: 100, capMs: 1000 }, random: () => 0.5 };
const err = (code: DownloadErrorCode, retryAfterMs?: number) =>
  new DownloadError(code, code, { retryAfterMs });

describe('decideRetry', () => {
  it('retries network, 5xx and throttling with growing jittered backoff', () => {
    expect(decideRetry(err('network'), 1, options)).toEqual({ action: 'retry', delayMs: 50 });
    expect(decideRetry(err('http-5xx'), 2, options)).toEqual({ action: 'retry', delayMs: 100 });
    expect(decideRetry(err('throttled'), 3, options)).toEqual({ action: 'retry', delayMs: 200 });
  });

  it('gives up after maxRetries', () => {
    expect(decideRetry(err('network'), 4, options)).toEqual({ action: 'fail' });
  });

  it('waits at least Retry-After', () => {
    expect(decideRetry(err('throttled', 5000), 1, options)).toEqual({ action: 'retry', delayMs: 5000 });
  });

  it('re-signs on 403 and expired URLs', () => {
    expect(decideRetry(err('http-403'), 1, options)).toEqual({ action: 're-sign' });
    expect(decideRetry(err('expired-url'), 9, options)).toEqual({ action: 're-sign' });
  });

  it('never retries other failures', () => {
    for (const code of [
      'http-404',
      'http-4xx',
      'changed',
      'corrupt',
      'bad-response',
      'write-failed',
      'disk-full',
    ] as const) {
      expect(decideRetry(err(code), 1, options)).toEqual({ action: 'fail' });
    }
  });
});

describe('fromApiError', () => {
  it('maps API failures to download codes', () => {
    expect(fromApiError('k', { status: 404, message: 'x' }).code).toBe('http-404');
    expect(fromApiError('k', { status: 503, message: 'x' }).code).toBe('http-5xx');
    expect(fromApiError('k', { status: 429, message: 'x' }).code).toBe('throttled');
    expect(fromApiError('k', new TypeError('Failed to fetch')).code).toBe('network');
    expect(fromApiError('k', { status: 400, message: 'bad key' }).code).toBe('link-failed');
    const dots = fromApiError('a/../b', {
      status: 400,
      code: 'dot-segment',
      message: 'has ".." as a folder name',
    });
    expect(dots.code).toBe('not-downloadable');
    expect(dots.message).toBe('has ".." as a folder name');
  });
});

import { describe, expect, it } from 'vitest';
import { canRetry, failedForGood, isFinished } from './upload-state.ts';

describe('canRetry', () => {
  it('offers a retry for failures that may pass next time', () => {
    for (const code of ['network', 'http-5xx', 'expired-url', 'parts-missing', 'file-unreadable'])
      expect(canRetry({ status: 'failed', error: { code, message: '' } })).toBe(true);
    expect(canRetry({ status: 'failed', error: null })).toBe(true);
  });

  it('offers none when the file itself is refused', () => {
    for (const code of ['too-large', 'invalid-key', 'not-same-file'])
      expect(canRetry({ status: 'failed', error: { code, message: '' } })).toBe(false);
  });

  it('offers none for uploads that have not failed', () => {
    expect(canRetry({ status: 'uploading', error: null })).toBe(false);
    expect(canRetry({ status: 'done', error: null })).toBe(false);
  });
});

describe('failedForGood and isFinished', () => {
  it('a refused file has failed for good and is finished; a failure a retry may fix is neither', () => {
    const tooLarge = { status: 'failed', error: { code: 'too-large', message: '' } } as const;
    const network = { status: 'failed', error: { code: 'network', message: '' } } as const;
    expect([failedForGood(tooLarge), isFinished(tooLarge)]).toEqual([true, true]);
    expect([failedForGood(network), isFinished(network)]).toEqual([false, false]);
    for (const status of ['done', 'cancelled', 'skipped'] as const)
      expect(isFinished({ status, error: null })).toBe(true);
    expect(isFinished({ status: 'paused', error: null })).toBe(false);
  });
});

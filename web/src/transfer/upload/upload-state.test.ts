import { describe, expect, it } from 'vitest';
import { canRetry } from './upload-state.ts';

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

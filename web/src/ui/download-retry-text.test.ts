import { describe, expect, it } from 'vitest';
import { downloadRetryText } from './download-retry-text.ts';

describe('downloadRetryText', () => {
  it('says what failed: a busy or failing store is no broken connection', () => {
    expect(downloadRetryText('throttled', 1)).toBe('The storage is busy: trying again (1)…');
    expect(downloadRetryText('http-5xx', 2)).toBe('The storage answered with an error: trying again (2)…');
    expect(downloadRetryText('network', 3)).toBe('The connection broke: trying again (3)…');
    expect(downloadRetryText(null, 1)).toBe('The connection broke: trying again (1)…');
  });
});

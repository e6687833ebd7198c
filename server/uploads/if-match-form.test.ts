import { describe, expect, it } from 'vitest';
import { ifMatchValue } from './if-match-form.ts';

describe('ifMatchValue', () => {
  it('writes the ETag as the store compares it, whichever way it was given', () => {
    for (const etag of ['"9b2cf535f27731c974343645a3985328"', '9b2cf535f27731c974343645a3985328']) {
      expect(ifMatchValue(etag, 'quoted')).toBe('"9b2cf535f27731c974343645a3985328"');
      expect(ifMatchValue(etag, 'unquoted')).toBe('9b2cf535f27731c974343645a3985328');
      expect(ifMatchValue(etag, 'none')).toBeUndefined();
    }
    expect(ifMatchValue('"abc-12"', 'unquoted')).toBe('abc-12');
  });
});

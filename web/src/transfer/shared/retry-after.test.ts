import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './retry-after.ts';

describe('retryAfterMs', () => {
  it('reads seconds', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('0')).toBe(0);
  });

  it('reads an HTTP date, counted from now; one past is now', () => {
    const now = Date.parse('Sun, 06 Dec 2026 07:00:00 GMT');
    expect(retryAfterMs('Sun, 06 Dec 2026 07:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 06:59:00 GMT', now)).toBe(0);
  });

  it('is undefined without a header, or with one it cannot read', () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('')).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

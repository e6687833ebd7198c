import { describe, expect, it } from 'vitest';
import { completedBy, isCompleteRetry } from './complete-retry.ts';
import type { ObjectRecord } from './records.ts';

const parts = [
  { partNumber: 1, etag: '"aaaa"' },
  { partNumber: 3, etag: '"bbbb"' },
];
const made = (uploadId: string): ObjectRecord => ({
  key: 'k',
  size: 1,
  etag: '"x-2"',
  lastModified: '',
  headers: {},
  segments: [],
  completedBy: completedBy(uploadId, parts),
});

describe('isCompleteRetry', () => {
  it('recognises the same upload and parts, ETags quoted or not', () => {
    expect(isCompleteRetry(made('u1'), 'u1', parts)).toBe(true);
    expect(
      isCompleteRetry(made('u1'), 'u1', [
        { partNumber: 1, etag: 'aaaa' },
        { partNumber: 3, etag: ' "bbbb"' },
      ]),
    ).toBe(true);
  });

  it('refuses another upload, other parts, and an object no Complete made (or none)', () => {
    expect(isCompleteRetry(made('u1'), 'u2', parts)).toBe(false);
    expect(isCompleteRetry(made('u1'), 'u1', parts.slice(0, 1))).toBe(false);
    expect(isCompleteRetry(made('u1'), 'u1', [{ ...parts[0]!, partNumber: 2 }, parts[1]!])).toBe(false);
    expect(isCompleteRetry(made('u1'), 'u1', [parts[0]!, { ...parts[1]!, etag: '"cccc"' }])).toBe(false);
    const { completedBy: _, ...put } = made('u1');
    expect(isCompleteRetry(put, 'u1', parts)).toBe(false);
    expect(isCompleteRetry(undefined, 'u1', parts)).toBe(false);
  });
});

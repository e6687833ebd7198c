import { describe, expect, it } from 'vitest';
import { truncateUtf8, utf8Length } from './utf8.ts';

describe('utf8Length', () => {
  it('counts bytes as TextEncoder does', () => {
    for (const text of ['', 'abc', 'é', '東京', '😀', 'a😀é東']) {
      expect(utf8Length(text), text).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe('truncateUtf8', () => {
  it('keeps whole characters within the byte limit', () => {
    expect(truncateUtf8('abcdef', 4)).toBe('abcd');
    expect(truncateUtf8('東京都', 7)).toBe('東京'); // 3 bytes each
    expect(truncateUtf8('a😀b', 4)).toBe('a'); // the emoji is 4 bytes: not split
    expect(truncateUtf8('a😀b', 5)).toBe('a😀');
    expect(truncateUtf8('short', 255)).toBe('short');
    expect(truncateUtf8('x', 0)).toBe('');
  });
});

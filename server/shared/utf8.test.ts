import { describe, expect, it } from 'vitest';
import { headerText, truncateUtf8, utf8Length } from './utf8.ts';

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

describe('headerText', () => {
  it('reads a header that came as UTF-8 bytes (one Latin-1 character each) as its text', () => {
    const sent = 'attachment; filename="résumé.pdf"';
    expect(headerText(Buffer.from(sent, 'utf8').toString('latin1'))).toBe(sent);
  });

  it('leaves ASCII, Latin-1 that is no UTF-8, and text already read as it is', () => {
    expect(headerText('max-age=60')).toBe('max-age=60');
    expect(headerText('caf\u00e9')).toBe('caf\u00e9'); // a lone 0xE9 byte is no UTF-8
    expect(headerText('日本')).toBe('日本');
    expect(headerText(undefined)).toBeUndefined();
  });
});

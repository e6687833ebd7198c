import { describe, expect, it } from 'vitest';
import { decodeHeaderText, encodeHeaderText } from './mime-words.ts';

describe('encodeHeaderText', () => {
  it('leaves printable ASCII as it is', () => {
    expect(encodeHeaderText('Jose Smith (build 7)')).toBe('Jose Smith (build 7)');
    expect(encodeHeaderText('')).toBe('');
  });

  it('writes other letters as UTF-8 in base64, as S3 answers them', () => {
    expect(encodeHeaderText('José')).toBe('=?UTF-8?B?Sm9zw6k=?=');
    expect(encodeHeaderText('中文')).toBe('=?UTF-8?B?5Lit5paH?=');
  });

  it('splits a long value into words of at most 75 characters, never inside a character', () => {
    const value = 'Ünïcødé 😀 '.repeat(12);
    const encoded = encodeHeaderText(value);
    const words = encoded.split(' ');
    expect(words.length).toBeGreaterThan(3);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      expect(w).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    }
    expect(encoded).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeHeaderText(encoded)).toBe(value);
  });

  it('leaves a value with control characters as it is, for the check to refuse', () => {
    expect(encodeHeaderText('naïve\tvalue')).toBe('naïve\tvalue');
    expect(encodeHeaderText('a\nb')).toBe('a\nb');
  });
});

describe('decodeHeaderText', () => {
  it('round-trips what encodeHeaderText writes', () => {
    for (const value of ['José', 'naïve café', '日本語のファイル', 'emoji 👩‍👩‍👧', 'a =?b?= c'])
      expect(decodeHeaderText(encodeHeaderText(value))).toBe(value);
  });

  it('decodes Q words and other charsets other tools write, and drops the space between two words', () => {
    expect(decodeHeaderText('=?utf-8?q?caf=C3=A9_au_lait?=')).toBe('café au lait');
    expect(decodeHeaderText('=?ISO-8859-1?Q?Andr=E9?= Pirard')).toBe('André Pirard');
    expect(decodeHeaderText('=?UTF-8?B?Sm9z?= =?UTF-8?B?w6k=?=')).toBe('José');
    expect(decodeHeaderText('by =?UTF-8?B?Sm9zw6k=?= today')).toBe('by José today');
  });

  it('leaves plain text and words that do not decode as they are', () => {
    expect(decodeHeaderText('plain value')).toBe('plain value');
    expect(decodeHeaderText('=?UTF-8?B?***?=')).toBe('=?UTF-8?B?***?=');
    expect(decodeHeaderText('=?no-such-charset?B?Sm9zw6k=?=')).toBe('=?no-such-charset?B?Sm9zw6k=?=');
    expect(decodeHeaderText('=?UTF-8?B?/w==?=')).toBe('=?UTF-8?B?/w==?='); // 0xFF is not UTF-8
    expect(decodeHeaderText('=?UTF-8?Q?bad=ZZ?=')).toBe('=?UTF-8?Q?bad=ZZ?=');
  });
});
